package dev.athanor.api;

import dev.athanor.billing.Entitlements;
import dev.athanor.content.Content;
import dev.athanor.events.Events;
import dev.athanor.media.Media;
import dev.athanor.platform.web.Web;
import io.dropwizard.core.setup.Environment;
import org.jdbi.v3.core.Jdbi;

/** Wires the api context into the site: the API, the private feeds, and the account page's tokens. */
public final class ApiSetup {

    private ApiSetup() {
    }

    public static ApiTokens install(ApiFactory settings, Jdbi jdbi, Entitlements entitlements, Content content,
            Media media, Events events, Web web, Environment environment) {
        ApiTokens tokens = new ApiTokens(jdbi);
        ApiAccess access = new ApiAccess(tokens, entitlements, new RateLimits(settings));
        environment.jersey().register(new ApiError.Mapper());
        environment.jersey().register(new ApiResource(access, content, media, events, web.site().baseUrl().toString()));
        environment.jersey().register(new PrivateFeedResource(access, content, media, events, web.site()));
        environment.jersey().register(new TokensResource(tokens, web));
        return tokens;
    }
}
