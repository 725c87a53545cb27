package dev.athanor.platform.web;

import dev.athanor.platform.db.LearnerChanges;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import javax.sql.DataSource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import io.dropwizard.jersey.errors.EarlyEofExceptionMapper;
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import io.dropwizard.jersey.jackson.JsonProcessingExceptionMapper;
import io.dropwizard.jersey.validation.JerseyViolationExceptionMapper;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ServerProperties;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The plumbing every page relies on, installed into Dropwizard in one place: security headers, the site's error pages
 * (from Jersey and from Jetty) with the exception mappers that stand in for Dropwizard's defaults, the checks that turn
 * malformed input into a 400 or 415 before any resource runs, the hashed static assets, and the page cache with its
 * handler in front of the whole framework.
 */
public final class Web {

    private final Site site;
    private final Layout layout;
    private final PageRenderer renderer;
    private final PageCache pageCache;
    private final Viewers viewers;
    private final Cookies cookies;
    private final Csrf csrf;
    private final DatabaseOutage outage;
    private final LearnerPages learnerPages;

    private Web(Site site, Layout layout, PageRenderer renderer, PageCache pageCache, Viewers viewers,
            DatabaseOutage outage, Consumer<String> pageViews) {
        this.site = site;
        this.outage = outage;
        this.layout = layout;
        this.renderer = renderer;
        this.pageCache = pageCache;
        this.viewers = viewers;
        this.cookies = new Cookies(site);
        this.csrf = new Csrf(cookies, site);
        this.learnerPages = new LearnerPages(viewers, this::personal, pageViews);
    }

    /**
     * @param contentSecurityPolicy the policy to send: {@code factory}'s, with the origins the site's contexts send
     *     browsers to added (see {@link ContentSecurityPolicy})
     * @param viewers who makes a request
     * @param pageViews told the path of every page served, cached or not
     * @param bodyLimits how large a request body may be, by path; see {@link SiteFactory#bodyLimits}
     * @param peers the other nodes' addresses ({@code nginx.peers}), whose nginx forwards visitors here: believed
     *     like {@code site.trustedProxies}
     */
    public static Web install(SiteFactory factory, String contentSecurityPolicy, Environment environment,
            Viewers viewers, Consumer<String> pageViews, BodyLimits bodyLimits, List<String> peers) {
        Site site = factory.build();
        PageRenderer renderer = new PageRenderer();
        StaticAssets assets = StaticAssets.load(StaticAssets.SITE);
        Layout layout = new Layout(site, assets);
        ErrorPages pages = new ErrorPages(layout, renderer);
        ErrorResponses responses = new ErrorResponses(pages);
        SecurityHeaders headers = new SecurityHeaders(contentSecurityPolicy,
                factory.getHstsMaxAge().toSeconds());
        DatabaseOutage outage = new DatabaseOutage();
        PageCache pageCache = new PageCache(factory.getPageCacheSize().toBytes(),
                java.time.Duration.ofMillis(factory.getPageCacheLifetime().toMilliseconds()), viewers, pageViews,
                environment.metrics(), outage, factory.getPageFiles().map(PageFiles::new).orElse(null));
        environment.lifecycle().manage(pageCache);
        RepeatedErrors repeated = new RepeatedErrors(org.slf4j.LoggerFactory.getLogger(RepeatedErrors.class));
        environment.lifecycle().manage(repeated);

        environment.servlets().addFilter("security-headers", new SecurityHeadersFilter(headers))
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        Web web = new Web(site, layout, renderer, pageCache, viewers, outage, pageViews);
        environment.servlets().addFilter("learner-pages", web.learnerPages)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        environment.getApplicationContext().setErrorHandler(new SiteErrorHandler(pages));
        environment.getAdminContext().setErrorHandler(new SiteErrorHandler(pages));
        // Redirects keep the relative address they were given: the browser resolves it against the address it
        // asked for, so no Host or X-Forwarded-Host header a client sends can end up in a Location.
        environment.jersey().property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        environment.jersey().register(new WellFormedInput());
        environment.jersey().register(new FormContentType());
        environment.jersey().register(new UnreadBodies());
        environment.jersey().register(new ErrorBodies(pages));
        environment.jersey().register(new WebApplicationExceptionMapper(responses, repeated));
        environment.jersey().register(new UnexpectedExceptionMapper(responses, outage, pageCache, repeated));
        environment.jersey().register(new JerseyViolationExceptionMapper());
        environment.jersey().register(new JsonProcessingExceptionMapper(false));
        environment.jersey().register(new EarlyEofExceptionMapper());
        environment.jersey().register(new EofExceptionWriterInterceptor(environment.metrics()));
        environment.servlets().addServlet("assets", new AssetServlet(assets)).addMapping(StaticAssets.PATH + "*");
        environment.admin().addTask(new ClearPageCacheTask(pageCache));

        SiteErrorHandler.ServerWide serverWide = new SiteErrorHandler.ServerWide(pages, headers);
        PageCacheHandler cacheHandler = new PageCacheHandler(pageCache, headers);
        BodyLimitHandler limitHandler = new BodyLimitHandler(bodyLimits);
        TrustedProxies proxies = new TrustedProxies(Stream.concat(factory.getTrustedProxies().stream(),
                peers.stream()).toList());
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(serverWide);
                    proxies.installOn(server);
                    // In front of everything: cache hits skip gzip, metrics, request log and servlets, and are
                    // answered on the selector thread (the rest goes to the pool); and before them, no body larger
                    // than its limit gets in.
                    cacheHandler.setHandler(server.getHandler());
                    limitHandler.setHandler(cacheHandler);
                    server.setHandler(limitHandler);
                    // So that a request Jetty cannot parse still gets JSON when it was sent to the API.
                    ApiRequestLines.install(server, environment.metrics());
                    if (!factory.isLogCachedPages() && server.getRequestLog() != null) {
                        server.setRequestLog(new QuietCacheHitsRequestLog(server.getRequestLog()));
                    }
                }
            }
        });
        return web;
    }

    /**
     * Has {@code route} answer signed-in GETs of {@code prefix} followed by {@code slugs} slugs before Jersey does (see
     * {@link LearnerPages}), sent with {@code cacheControl}; Jersey's resource for the same path must render the same
     * page.
     */
    public void learnerPage(String prefix, int slugs, String cacheControl, LearnerPages.Route route) {
        learnerPages.add(prefix, slugs, cacheControl, route);
    }

    /**
     * Keeps the page cache true to the database (LISTEN/NOTIFY, caught up after a lost connection) and follows the
     * database's outages, probing {@code pool} while one lasts; see {@link PageCacheInvalidation} and
     * {@link DatabaseOutage}.
     *
     * @param listenerConnections plain connections outside the pool: the listener holds one for as long as it runs
     * @param learners told what the listener hears of learners, and how fresh its hearing is
     */
    public void watchDatabase(LifecycleEnvironment lifecycle, DataSource pool, DataSource listenerConnections,
            LearnerChanges learners) {
        outage.probeThrough(pool);
        lifecycle.manage(outage);
        lifecycle.manage(new PageCacheInvalidation(pageCache, learners, listenerConnections, outage));
    }

    public Site site() {
        return site;
    }

    /** The frame every page view is rendered in. */
    public Layout layout() {
        return layout;
    }

    public PageRenderer renderer() {
        return renderer;
    }

    public PageCache pageCache() {
        return pageCache;
    }

    /** The HTML media type every page is sent with. */
    public static final String HTML = "text/html; charset=utf-8";

    /**
     * A page response: from the page cache for anonymous viewers (rendered at most once until {@code dependencies}
     * change, and then without viewer or form token), rendered for this viewer otherwise.
     */
    public Response page(HttpServletRequest request, HttpServletResponse response, Set<String> dependencies,
            Supplier<? extends PageView> view) {
        boolean shared = !viewers.maySignIn(request::getHeader);
        return pageCache.respond(request, HTML, dependencies, () -> {
            PageView page = view.get();
            return shared ? renderer.render(page) : personal(request, response, page);
        });
    }

    /** A page for this viewer only (forms, accounts): never cached, with a form token. */
    public Response render(HttpServletRequest request, HttpServletResponse response, PageView view, int status) {
        return Response.status(status).type(HTML).entity(personal(request, response, view))
                .header("Cache-Control", "no-store").build();
    }

    /** {@code view} rendered for the viewer asking, with their form token (issuing its cookie if they have none). */
    private byte[] personal(HttpServletRequest request, HttpServletResponse response, PageView view) {
        view.prepare(viewers.resolve(request), csrf.token(request, response));
        return renderer.render(view);
    }

    public Csrf csrf() {
        return csrf;
    }

    /** The signed-in viewer; anyone else is sent (303) to sign in and come back to this page. */
    public Viewer signedIn(HttpServletRequest request) {
        return signedIn(request, request.getRequestURI());
    }

    /** The signed-in viewer; anyone else is sent (303) to sign in and come back to {@code next}. */
    public Viewer signedIn(HttpServletRequest request, String next) {
        Viewer viewer = viewers.resolve(request);
        if (!viewer.isSignedIn()) {
            throw new jakarta.ws.rs.RedirectionException(Response.Status.SEE_OTHER, java.net.URI.create(
                    "/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return viewer;
    }

    public Cookies cookies() {
        return cookies;
    }

    public Viewers viewers() {
        return viewers;
    }
}
