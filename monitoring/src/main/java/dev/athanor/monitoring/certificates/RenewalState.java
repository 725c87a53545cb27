package dev.athanor.monitoring.certificates;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.monitoring.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ops certs} remembers about one certificate between runs ({@code renewal.json} beside it): the names it
 * must cover, the last attempt and its outcome, the back-off or the CA's Retry-After before the next attempt, and the
 * CA's renewal window with the random moment chosen in it. A plain JSON document with public fields; written
 * atomically.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RenewalState {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** The names the certificate is ordered for; the first names its directory. */
    public List<String> names = new ArrayList<>();
    public Instant lastAttempt;
    /** {@code issued}, {@code renewed}, {@code failed}, {@code rate-limited}, {@code reload-failed}, ... */
    public String lastOutcome;
    public String lastError;
    public Instant lastSuccess;
    public int consecutiveFailures;
    /** No order before this moment: the back-off after failures, or the CA's Retry-After. */
    public Instant notBefore;
    public String notBeforeReason;

    /** The CA's renewal window (ARI) for the certificate with {@link #ariSerial}, when the CA has one. */
    public Instant ariStart;
    public Instant ariEnd;
    public String ariExplanation;
    public String ariSerial;
    public Instant ariFetched;
    /** The random moment chosen in the window; renewal starts then. */
    public Instant ariRenewAt;

    /**
     * True while renewal is failing: the last order failed or was rate-limited and none has succeeded since (a
     * success resets {@link #consecutiveFailures}).
     */
    @JsonIgnore
    public boolean renewalFailing() {
        return consecutiveFailures > 0;
    }

    /** The CA's window for {@code certificate}, if one is known for exactly that certificate. */
    @JsonIgnore
    public Optional<RenewalWindow> ariWindow(CertificateDetails certificate) {
        if (ariStart == null || ariEnd == null || !certificate.serial().equals(ariSerial) || ariEnd.isBefore(ariStart)) {
            return Optional.empty();
        }
        return Optional.of(new RenewalWindow(ariStart, ariEnd, RenewalWindow.Source.ARI));
    }

    /** The window that applies to {@code certificate}: the CA's, else the lifetime's. */
    @JsonIgnore
    public RenewalWindow window(CertificateDetails certificate) {
        return ariWindow(certificate).orElseGet(() -> RenewalWindow.forLifetime(certificate));
    }

    /** Reads the state in {@code file}; a fresh state when there is none. */
    public static RenewalState read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new RenewalState();
        }
        return JSON.readValue(file.toFile(), RenewalState.class);
    }

    /** Replaces {@code file} with this state, atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(this), AtomicFiles.PUBLIC);
    }
}
