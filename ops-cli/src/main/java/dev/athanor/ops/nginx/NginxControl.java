package dev.athanor.ops.nginx;

import dev.athanor.AthanorConfiguration;
import dev.athanor.AthanorVersion;
import dev.athanor.monitoring.AtomicFiles;
import dev.athanor.monitoring.deploy.DeployFactory;
import dev.athanor.monitoring.nginx.LocalNginx;
import dev.athanor.monitoring.nginx.NginxIncludes;
import dev.athanor.ops.shared.ConfigFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ops changes in a running nginx: the upstream the site is proxied to ({@link #switchUpstream}, for
 * {@code ops deploy} and {@code ops rollback}) and maintenance mode. Each change rewrites an include atomically, has
 * nginx test the whole configuration (putting the previous include back if the test fails), reloads, and returns once
 * nginx's new workers serve new requests. On a server it drives the system's nginx ({@code deploy.mode: systemd});
 * in local mode it runs an nginx of its own on {@code 127.0.0.1:deploy.localPort}, started on first use.
 */
public final class NginxControl {

    private final AthanorConfiguration configuration;
    private final NginxIncludes includes;
    private final NginxServer server;
    private final Optional<OwnNginx> own;

    private NginxControl(AthanorConfiguration configuration, NginxServer server, Optional<OwnNginx> own) {
        this.configuration = configuration;
        this.includes = configuration.getNginx().includes();
        this.server = server;
        this.own = own;
    }

    /** The system's nginx in systemd mode; in local mode, the nginx under {@code deploy.directory/nginx}. */
    public static NginxControl of(AthanorConfiguration configuration) {
        DeployFactory deploy = configuration.getDeploy();
        if (deploy.getMode() == DeployFactory.Mode.SYSTEMD) {
            return new NginxControl(configuration, new SystemNginx(configuration.getNginx()), Optional.empty());
        }
        OwnNginx nginx = new OwnNginx(local(configuration), "Athanor's local nginx (deploy.mode: local), rendered by"
                + " ops " + AthanorVersion.current() + " before each change; edits here do not last.");
        return new NginxControl(configuration, nginx, Optional.of(nginx));
    }

    /** The configuration of local mode's own nginx: plain http on {@code deploy.localPort}. */
    static LocalNginx local(AthanorConfiguration configuration) {
        DeployFactory deploy = configuration.getDeploy();
        return new LocalNginx(NginxCommand.site(configuration), deploy.getDirectory().resolve("nginx"),
                deploy.getLocalPort(), "root".equals(System.getProperty("user.name")));
    }

    /** The servers ({@code host:port}) the upstream include names now; none before the first. */
    public List<String> upstream() throws NginxException {
        try {
            return UpstreamInclude.read(includes.upstream());
        } catch (IOException e) {
            throw new NginxException("could not read " + includes.upstream() + ": " + e.getMessage(), e);
        }
    }

    /** The server the include names for this node's live release (the first); empty before the first. */
    public Optional<String> localServer() throws NginxException {
        return upstream().stream().findFirst();
    }

    /**
     * Points nginx at this node's live release at {@code local} ({@code 127.0.0.1:8090}) beside the other nodes
     * ({@code nginx.peers}), as {@link #switchUpstream} does.
     */
    public void switchLocal(String local) throws NginxException {
        switchUpstream(UpstreamInclude.servers(local, configuration));
    }

    /**
     * Points nginx at {@code servers} ({@code 127.0.0.1:8090}): the include rewritten, tested, reloaded; returns once
     * every new request goes there (requests already in flight finish where they are). A configuration nginx refuses
     * leaves the previous include in place and traffic where it was.
     */
    public void switchUpstream(List<String> servers) throws NginxException {
        String text = UpstreamInclude.render(servers);
        change(Map.of(includes.upstream(), text));
        try {
            LivePageFiles.point(configuration, servers.get(0));
        } catch (IOException e) {
            throw new NginxException("nginx now proxies to " + servers.get(0) + ", but the link to its page files"
                    + " could not be changed: " + e.getMessage(), e);
        }
    }

    /**
     * Turns maintenance on (again): nginx answers everyone but {@code nginx.operatorAddresses} and
     * {@code extraAddresses} with a 503, {@code Retry-After} and the page showing {@code message} (escaped; a calm
     * default when blank), and {@code /health} with 503 for everyone. Turning it on when on keeps its start time.
     */
    public void maintenanceOn(String message, List<String> extraAddresses) throws NginxException {
        List<String> addresses = new ArrayList<>(configuration.getNginx().getOperatorAddresses());
        extraAddresses.stream().map(String::strip).filter(address -> !addresses.contains(address))
                .forEach(addresses::add);
        Instant since = maintenance().map(MaintenanceState::since).orElse(Instant.now());
        String shown = message == null || message.isBlank() ? MaintenancePage.DEFAULT_MESSAGE : message.strip();
        String geo = MaintenanceInclude.render(Optional.of(new MaintenanceState(since, shown, addresses)));
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(includes.page(), MaintenancePage.render(FirstIncludes.siteName(configuration), shown));
        files.put(includes.maintenance(), geo);
        change(files);
    }

    /** Turns maintenance off: every visitor reaches the site again. Nothing to do when it is off. */
    public void maintenanceOff() throws NginxException {
        if (maintenance().isEmpty() && Files.exists(includes.maintenance())) {
            return;
        }
        change(Map.of(includes.maintenance(), MaintenanceInclude.render(Optional.empty())));
    }

    /** Maintenance mode as the include has it: since when, the message, the addresses let through; empty when off. */
    public Optional<MaintenanceState> maintenance() throws NginxException {
        try {
            return MaintenanceInclude.read(includes.maintenance());
        } catch (IOException | RuntimeException e) {
            throw new NginxException("could not read " + includes.maintenance() + ": " + e.getMessage(), e);
        }
    }

    /** Stops the nginx local mode runs, if it runs (tests, benchmarks); nothing in systemd mode. */
    public void stopLocal() throws NginxException {
        if (own.isPresent()) {
            own.get().stop();
        }
    }

    /** The port local mode's nginx listens on, if this is local mode. */
    public Optional<Integer> localPort() {
        return own.map(nginx -> configuration.getDeploy().getLocalPort());
    }

    /** Under a lock on the include directory: the files written, tested (or put back), reloaded. */
    private void change(Map<Path, String> files) throws NginxException {
        Path directory = includes.directory().toAbsolutePath();
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
                Map<Path, Optional<byte[]>> previous = new LinkedHashMap<>();
                for (Map.Entry<Path, String> file : files.entrySet()) {
                    previous.put(file.getKey(), Files.exists(file.getKey())
                            ? Optional.of(Files.readAllBytes(file.getKey())) : Optional.empty());
                    FirstIncludes.write(file.getKey(), file.getValue());
                }
                FirstIncludes.writeMissing(configuration); // the other includes, on a first run
                try {
                    server.test();
                } catch (NginxException refused) {
                    for (Map.Entry<Path, Optional<byte[]>> file : previous.entrySet()) {
                        if (file.getValue().isPresent()) {
                            AtomicFiles.write(file.getKey(), file.getValue().get(), AtomicFiles.PUBLIC);
                        } else {
                            Files.deleteIfExists(file.getKey());
                        }
                    }
                    throw new NginxException(refused.getMessage() + " (nothing changed: the previous include is"
                            + " back)", refused);
                }
                server.reload();
            }
        } catch (IOException e) {
            throw new NginxException("could not write nginx's includes in " + directory + ": " + e.getMessage(), e);
        } catch (ConfigFileException e) {
            throw new NginxException(e.getMessage(), e);
        }
    }
}
