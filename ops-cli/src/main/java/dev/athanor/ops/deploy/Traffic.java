package dev.athanor.ops.deploy;

import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.nginx.NginxControl;
import dev.athanor.ops.nginx.NginxException;
import java.util.List;

/**
 * Where nginx sends the site's traffic, and whether it shows the maintenance page instead: {@link NginxControl} in the
 * words of a deploy, its failures as {@link DeployException}s (exit 71).
 */
final class Traffic {

    private final NginxControl nginx;

    Traffic(AthanorConfiguration configuration) {
        this.nginx = NginxControl.of(configuration);
    }

    /** The servers ({@code host:port}) nginx's upstream names now; empty before the first deploy. */
    List<String> upstream() throws DeployException {
        try {
            return nginx.upstream();
        } catch (NginxException e) {
            throw failed(e);
        }
    }

    /** Points nginx at this one server: the include rewritten, nginx's check passed, nginx reloaded. */
    void switchTo(String server) throws DeployException {
        try {
            nginx.switchUpstream(List.of(server));
        } catch (NginxException e) {
            throw failed(e);
        }
    }

    /** The maintenance page for everyone but the operator's addresses. */
    void maintenanceOn(String message) throws DeployException {
        try {
            nginx.maintenanceOn(message, List.of());
        } catch (NginxException e) {
            throw failed(e);
        }
    }

    void maintenanceOff() throws DeployException {
        try {
            nginx.maintenanceOff();
        } catch (NginxException e) {
            throw failed(e);
        }
    }

    private static DeployException failed(NginxException e) {
        return new DeployException(e.getMessage(), 71, e);
    }
}
