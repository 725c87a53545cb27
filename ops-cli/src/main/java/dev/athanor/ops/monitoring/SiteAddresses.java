package dev.athanor.ops.monitoring;

import dev.athanor.AthanorConfiguration;
import dev.athanor.monitoring.deploy.DeployFactory;
import dev.athanor.ops.deploy.LiveState;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where the running site answers, as config.yml describes it: the public health URLs and the admin port's health
 * checks, from {@code monitoring.healthUrls} and {@code monitoring.adminUrl}, else from the live slot's ports once
 * {@code ops deploy} has run ({@code deploy.directory/live.json}), else from the server's connectors (a wildcard
 * bind address is reached on 127.0.0.1).
 */
public final class SiteAddresses {

    private SiteAddresses() {
    }

    /** The public readiness URLs to poll. */
    static List<URI> healthUrls(AthanorConfiguration configuration) {
        List<URI> configured = configuration.getMonitoring().getHealthUrls();
        if (!configured.isEmpty()) {
            return configured;
        }
        return connector(configuration, false).map(base -> List.of(URI.create(base + "/health"))).orElse(List.of());
    }

    /** The admin base URL (no trailing slash), if there is one. */
    static Optional<String> adminUrl(AthanorConfiguration configuration) {
        String configured = configuration.getMonitoring().getAdminUrl();
        if (!configured.isEmpty()) {
            return Optional.of(configured.replaceAll("/+$", ""));
        }
        return connector(configuration, true);
    }

    /** The site's own base URL on this machine ({@code http://127.0.0.1:8080}), if its port is fixed. */
    public static Optional<String> siteUrl(AthanorConfiguration configuration) {
        return connector(configuration, false);
    }

    private static Optional<String> connector(AthanorConfiguration configuration, boolean admin) {
        Optional<LiveState> live = LiveState.read(configuration.getDeploy().getDirectory());
        if (live.isPresent()) {
            DeployFactory.Slot slot = configuration.getDeploy().slot(live.get().slot());
            return Optional.of("http://127.0.0.1:" + (admin ? slot.getAdminPort() : slot.getPort()));
        }
        if (!(configuration.getServerFactory() instanceof DefaultServerFactory server)) {
            return Optional.empty();
        }
        List<ConnectorFactory> connectors = admin ? server.getAdminConnectors() : server.getApplicationConnectors();
        for (ConnectorFactory connector : connectors) {
            if (connector instanceof HttpConnectorFactory http && !(http.getClass().getSimpleName()
                    .startsWith("Https")) && http.getPort() > 0) {
                String host = http.getBindHost() == null || http.getBindHost().isBlank()
                        || http.getBindHost().equals("0.0.0.0") || http.getBindHost().equals("::")
                        ? "127.0.0.1" : http.getBindHost();
                return Optional.of("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.getPort());
            }
        }
        return Optional.empty();
    }
}
