package dev.athanor.ops.certs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops certs check [--live HOST:PORT...] [--json]}: how each certificate stands, and what the server presents. Sends the
 * expiry alerts, and the served-differs alert for a server presenting another certificate (reloading only the one at
 * {@code certificates.servedAt} first). For cron: exit 0 when all is well, 1 for a warning (overdue for renewal, a
 * server presenting another certificate than the file), 2 when critical (expiring within the urgent threshold,
 * expired, missing, or a server that does not answer).
 */
@Command(name = "check", description = "Check certificate files and served certificates; exit 0 ok, 1 warning,"
        + " 2 critical.")
final class CertsCheckCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--live", paramLabel = "HOST:PORT", split = ",",
            description = "Compare what these servers present (SNI: each certificate's name) with the files"
                    + " (default: certificates.servedAt); one presenting another certificate is alerted, and"
                    + " reloaded first only if it is certificates.servedAt.")
    private List<String> live = new ArrayList<>();

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        List<ExpiryFinding> findings = CertsCommand.certificates(config, spec).check(live);
        PrintWriter out = spec.commandLine().getOut();
        int exitCode = findings.stream().mapToInt(ExpiryFinding::exitCode).max().orElse(0);
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("status", ExpiryFinding.Severity.values()[exitCode].name());
            result.put("findings", findings);
            out.println(new ObjectMapper().writeValueAsString(result));
            return exitCode;
        }
        for (ExpiryFinding finding : findings) {
            out.println(finding.label() + " " + finding.message());
        }
        if (findings.isEmpty()) {
            out.println("OK no certificates managed");
        }
        return exitCode;
    }
}
