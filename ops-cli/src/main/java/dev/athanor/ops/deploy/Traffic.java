package dev.athanor.ops.deploy;

import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.nginx.NginxControl;
import dev.athanor.ops.nginx.NginxException;
import java.util.List;
import java.util.Optional;

/**
 * Where nginx sends the site's traffic, and whether it shows the maintenance page instead: {@link NginxControl} in the
 * words of a deploy, its failures as {@link DeployException}s (exit 71).
 */
final class Traffic {

    private final NginxControl nginx;

    Traffic(AthanorConfiguration configuration) {
        this.nginx = NginxControl.of(configuration);
    }

    /** The server ({@code host:port}) nginx's upstream names for this node now; empty before the first deploy. */
    Optional<String> local() throws DeployException {
        try {
            return nginx.localServer();
        } catch (NginxException e) {
            throw failed(e);
        }
    }

    /**
     * Points nginx at this server for this node (other nodes stay as configured): the include rewritten, nginx's
     * check passed, nginx reloaded.
     */
    void switchTo(String server) throws DeployException {
        try {
            nginx.switchLocal(server);
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
