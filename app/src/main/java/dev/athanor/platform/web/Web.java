package dev.athanor.platform.web;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import io.dropwizard.jersey.jackson.JsonProcessingExceptionMapper;
import io.dropwizard.jersey.validation.JerseyViolationExceptionMapper;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The plumbing every page relies on, installed into Dropwizard in one place: security headers, the site's error pages
 * (from Jersey and from Jetty) with the exception mappers that stand in for Dropwizard's defaults, and the hashed
 * static assets.
 */
public final class Web {

    private final Site site;
    private final Layout layout;

    private Web(Site site, Layout layout) {
        this.site = site;
        this.layout = layout;
    }

    public static Web install(SiteFactory factory, Environment environment) {
        Site site = factory.build();
        StaticAssets assets = StaticAssets.load(List.of("site.css", "favicon.svg"));
        Layout layout = new Layout(site, assets);
        ErrorPages pages = new ErrorPages(layout);
        ErrorResponses responses = new ErrorResponses(pages);

        SecurityHeaders headers = new SecurityHeaders(factory.getContentSecurityPolicy(),
                factory.getHstsMaxAge().toSeconds());

        environment.servlets().addFilter("security-headers", new SecurityHeadersFilter(headers))
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        environment.getApplicationContext().setErrorHandler(new SiteErrorHandler(pages));
        environment.getAdminContext().setErrorHandler(new SiteErrorHandler(pages));
        SiteErrorHandler.ServerWide serverWide = new SiteErrorHandler.ServerWide(pages, headers);
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(serverWide);
                }
            }
        });
        environment.jersey().register(new WebApplicationExceptionMapper(responses));
        environment.jersey().register(new UnexpectedExceptionMapper(responses));
        environment.jersey().register(new JerseyViolationExceptionMapper());
        environment.jersey().register(new JsonProcessingExceptionMapper(false));
        environment.jersey().register(new EarlyEofExceptionMapper());
        environment.jersey().register(new EofExceptionWriterInterceptor(environment.metrics()));
        environment.servlets().addServlet("assets", new AssetServlet(assets)).addMapping(StaticAssets.PATH + "*");
        return new Web(site, layout);
    }

    public Site site() {
        return site;
    }

    /** The frame every page view is rendered in. */
    public Layout layout() {
        return layout;
    }
}
