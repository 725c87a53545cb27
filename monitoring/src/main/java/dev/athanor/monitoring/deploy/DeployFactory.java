package dev.athanor.monitoring.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/**
 * The {@code deploy} section: where {@code ops deploy} installs releases and how it runs the two instances a release
 * hand-over needs.
 *
 * <ul>
 *   <li>{@code directory}: the install directory, {@code DIR/releases/NAME/} and {@code DIR/current} (the live
 *       release), with the instances' state in {@code DIR/instances/} ({@code /opt/athanor} on a server,
 *       {@code ./data/install} on a laptop).
 *   <li>{@code mode}: {@code systemd} (a server: the instances are the units {@code athanor@a} and {@code athanor@b},
 *       nginx is the system's) or {@code local} (anywhere: the instances are detached child processes with pid files,
 *       behind an nginx that ops starts under {@code DIR/nginx} and listens on {@code localPort}).
 *   <li>{@code slotA}, {@code slotB}: the site and admin ports of each slot; a release starts in the slot the live one
 *       is not in.
 *   <li>{@code readinessTimeout}: how long a new instance has to answer {@code /health} with 200 (60 s).
 *   <li>{@code warmup}: how long it is sent the most visited pages before it takes traffic (3 s; 0 for none).
 *   <li>{@code drainTimeout}: how long the old instance may take to finish what it has in flight (30 s).
 *   <li>{@code keep}: releases kept for {@code ops rollback}, the live one included (3).
 *   <li>{@code user}: who runs the pre-deploy backup when ops runs as root in systemd mode ({@code athanor}).
 *   <li>{@code unitDirectory}: where systemd mode installs the release's unit files ({@code /etc/systemd/system}).
 * </ul>
 */
public class DeployFactory {

    /** How instances run. */
    public enum Mode { SYSTEMD, LOCAL }

    /** One slot's ports. */
    public static class Slot {
        @Min(1)
        @Max(65535)
        @JsonProperty
        private int port;

        @Min(1)
        @Max(65535)
        @JsonProperty
        private int adminPort;

        public Slot() {
        }

        public Slot(int port, int adminPort) {
            this.port = port;
            this.adminPort = adminPort;
        }

        public int getPort() {
            return port;
        }

        public int getAdminPort() {
            return adminPort;
        }
    }

    @NotNull
    @JsonProperty
    private Path directory = Path.of("data/install");

    @NotNull
    @JsonProperty
    private Mode mode = Mode.LOCAL;

    @Valid
    @NotNull
    @JsonProperty
    private Slot slotA = new Slot(8080, 8081);

    @Valid
    @NotNull
    @JsonProperty
    private Slot slotB = new Slot(8090, 8091);

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int localPort = 8000;

    @NotNull
    @JsonProperty
    private Duration readinessTimeout = Duration.seconds(60);

    @NotNull
    @JsonProperty
    private Duration warmup = Duration.seconds(3);

    @NotNull
    @JsonProperty
    private Duration drainTimeout = Duration.seconds(30);

    @Min(2)
    @Max(20)
    @JsonProperty
    private int keep = 3;

    @NotNull
    @JsonProperty
    private String user = "athanor";

    @NotNull
    @JsonProperty
    private Path unitDirectory = Path.of("/etc/systemd/system");

    public Path getDirectory() {
        return directory;
    }

    public Mode getMode() {
        return mode;
    }

    /** The slot ({@code a} or {@code b}) whose site port is {@code address}'s ({@code 127.0.0.1:8090}), if one is. */
    public java.util.Optional<String> slotOf(String address) {
        String port = address.substring(address.lastIndexOf(':') + 1);
        return java.util.stream.Stream.of("a", "b").filter(name -> port.equals(Integer.toString(slot(name).getPort())))
                .findFirst();
    }

    /** The slot named {@code a} or {@code b}. */
    public Slot slot(String name) {
        return switch (name) {
            case "a" -> slotA;
            case "b" -> slotB;
            default -> throw new IllegalArgumentException("no slot " + name + "; slots are a and b");
        };
    }

    public int getLocalPort() {
        return localPort;
    }

    public java.time.Duration getReadinessTimeout() {
        return java.time.Duration.ofMillis(readinessTimeout.toMilliseconds());
    }

    public java.time.Duration getWarmup() {
        return java.time.Duration.ofMillis(warmup.toMilliseconds());
    }

    public java.time.Duration getDrainTimeout() {
        return java.time.Duration.ofMillis(drainTimeout.toMilliseconds());
    }

    public int getKeep() {
        return keep;
    }

    public String getUser() {
        return user;
    }

    public Path getUnitDirectory() {
        return unitDirectory;
    }

    @ValidationMethod(message = "deploy.slotA and deploy.slotB must use four different ports")
    public boolean isSlotsDistinct() {
        return java.util.stream.IntStream.of(slotA.port, slotA.adminPort, slotB.port, slotB.adminPort, localPort)
                .distinct().count() == 5;
    }
}
