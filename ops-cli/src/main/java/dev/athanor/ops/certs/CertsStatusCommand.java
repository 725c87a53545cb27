package dev.athanor.ops.certs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ops certs status [--json]}: each managed certificate, its renewal window and its last attempt. */
@Command(name = "status", description = "Show each certificate: names, issuer, expiry, renewal window, last attempt.")
final class CertsStatusCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        List<CertificateStatus> statuses = CertsCommand.certificates(config, spec).status();
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(statuses));
            return 0;
        }
        if (statuses.isEmpty()) {
            out.println("No certificates managed yet (certificates.domains, then ops certs issue).");
        }
        for (CertificateStatus status : statuses) {
            out.println(status.name());
            out.println("  names:         " + String.join(", ", status.names()));
            if (status.problem() != null) {
                out.println("  problem:       " + status.problem());
            } else {
                out.println("  issuer:        " + status.issuer());
                out.println("  not after:     " + seconds(status.notAfter()) + String.format(Locale.ROOT,
                        " (%d days left, %d%% of its lifetime used)", status.daysLeft(),
                        status.lifetimeUsedPercent()));
                out.println("  standing:      " + status.standing());
                out.println("  renewal:       " + seconds(status.renewalWindowStart()) + " to "
                        + seconds(status.renewalWindowEnd()) + " (" + status.renewalWindowSource() + "), renew at "
                        + seconds(status.renewAt()));
            }
            out.println("  last attempt:  " + (status.lastAttempt() == null ? "none" : seconds(status.lastAttempt())
                    + " " + status.lastOutcome() + (status.lastError() == null ? "" : ": " + status.lastError())));
            if (status.nextAttemptNotBefore() != null) {
                out.println("  next attempt:  not before " + seconds(status.nextAttemptNotBefore()));
            }
        }
        return 0;
    }

    private static Object seconds(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
