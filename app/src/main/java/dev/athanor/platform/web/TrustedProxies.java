package dev.athanor.platform.web;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.InetAddressSet;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Believes the client address and scheme that a proxy forwards only when the connection comes from one of the
 * configured proxy addresses (nginx on loopback by default), and only the two headers nginx sets:
 * {@code X-Forwarded-For} and {@code X-Forwarded-Proto}. {@code Forwarded}, {@code X-Forwarded-Host},
 * {@code X-Forwarded-Port} and the rest are never read, so no client can choose the address that limits and logs
 * see, or the host that a response names.
 */
final class TrustedProxies implements HttpConfiguration.Customizer {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedProxies.class);

    private final InetAddressSet proxies = new InetAddressSet();
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    /** @param proxies addresses or CIDR ranges, such as {@code 127.0.0.1/32} or {@code ::1/128} */
    TrustedProxies(List<String> proxies) {
        proxies.forEach(this.proxies::add);
        forwarded.setForwardedHeader(null);
        forwarded.setForwardedHostHeader(null);
        forwarded.setForwardedServerHeader(null);
        forwarded.setForwardedPortHeader(null);
        forwarded.setForwardedHttpsHeader(null);
        forwarded.setForwardedCipherSuiteHeader(null);
        forwarded.setForwardedSslSessionIdHeader(null);
        forwarded.setProxyAsAuthority(false);
        forwarded.setForwardedForHeader("X-Forwarded-For");
        forwarded.setForwardedProtoHeader("X-Forwarded-Proto");
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress address && address.getAddress() != null
                && proxies.test(address.getAddress())) {
            return forwarded.customize(request, responseHeaders);
        }
        return request;
    }

    /**
     * Puts this in place of any forwarding customizer on the server's site connectors (those Dropwizard names
     * {@code application...}); one left by {@code useForwardedHeaders: true} would trust every client.
     */
    void installOn(Server server) {
        for (Connector connector : server.getConnectors()) {
            String name = connector.getName();
            if (name != null && !name.startsWith("application") || !(connector instanceof ContainerLifeCycle beans)) {
                continue;
            }
            // Dropwizard wraps the connection factory for its metrics; the HTTP one is among the wrapper's beans.
            for (HttpConnectionFactory http : beans.getContainedBeans(HttpConnectionFactory.class)) {
                replaceForwarding(http.getHttpConfiguration());
            }
        }
    }

    private void replaceForwarding(HttpConfiguration configuration) {
        List<HttpConfiguration.Customizer> customizers = new java.util.ArrayList<>(configuration.getCustomizers());
        if (customizers.removeIf(ForwardedRequestCustomizer.class::isInstance)) {
            LOG.warn("server.applicationConnectors[].useForwardedHeaders is ignored: forwarding headers are"
                    + " trusted only from site.trustedProxies");
        }
        customizers.add(0, this);
        configuration.setCustomizers(customizers);
    }
}
