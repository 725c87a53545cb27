package dev.athanor.ops.pitr;

import dev.athanor.backup.pitr.PitrException;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.EmbeddedPostgresException;
import java.util.Optional;

/**
 * Keeps the embedded cluster running while a pgBackRest command needs it (started if the site is not running it;
 * released, and stopped if nothing else uses it, on close). A system cluster runs by itself: nothing to hold.
 */
final class RunningCluster implements AutoCloseable {

    private final Optional<DatabaseServer> server;

    private RunningCluster(Optional<DatabaseServer> server) {
        this.server = server;
    }

    static RunningCluster hold(PitrSite site) throws PitrException {
        if (!site.isEmbedded()) {
            return new RunningCluster(Optional.empty());
        }
        try {
            return new RunningCluster(Optional.of(site.embedded().acquire()));
        } catch (EmbeddedPostgresException e) {
            throw new PitrException(e.getMessage(), PitrException.FAILED, e);
        }
    }

    @Override
    public void close() {
        server.ifPresent(DatabaseServer::close);
    }
}
