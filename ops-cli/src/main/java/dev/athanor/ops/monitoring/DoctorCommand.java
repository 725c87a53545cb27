package dev.athanor.ops.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops doctor}: checks the server against what Athanor needs and prints each problem with its fix. Exit 0 when
 * all is well, 1 with warnings only, 2 when something is broken.
 */
@Command(name = "doctor", description = {"Check the server: Java, PostgreSQL and pg_dump, disk, systemd units, nginx,"
        + " certificates, object storage, SMTP login, clock.", "Each problem comes with its fix. Exit 0 ok,"
        + " 1 warnings, 2 problems."})
public final class DoctorCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "Where pg_dump is (default: searched as backups"
            + " search it: /usr/lib/postgresql/N/bin newest first, then PATH).")
    private Path pgBin;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws Exception {
        AthanorConfiguration configuration = config.load();
        ServerChecks checks = new ServerChecks(configuration, Optional.ofNullable(pgBin));
        List<Finding> findings = new ArrayList<>();
        findings.add(checks.java());
        findings.addAll(checks.database());
        findings.addAll(new DatabaseConnectionChecks(configuration).findings());
        findings.addAll(checks.disks());
        findings.addAll(checks.ownership());
        findings.addAll(checks.units());
        findings.addAll(new NginxSiteCheck(configuration).findings());
        findings.addAll(checks.certificates());
        findings.add(checks.objectStorage());
        findings.add(checks.smtp());
        findings.add(checks.clock());
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            out.println(new ObjectMapper().writeValueAsString(findings));
        } else {
            Terminal terminal = Terminal.detect();
            for (Finding finding : findings) {
                String label = String.format("%-4s", finding.level());
                out.printf("%s  %-15s %s%n", terminal.bySeverity(finding.level().name(), label), finding.check(),
                        finding.message());
                if (finding.fix() != null) {
                    out.printf("      %-15s fix: %s%n", "", finding.fix());
                }
            }
            long failures = findings.stream().filter(finding -> finding.level() == Finding.Level.FAIL).count();
            long warnings = findings.stream().filter(finding -> finding.level() == Finding.Level.WARN).count();
            out.println();
            out.println(failures == 0 && warnings == 0 ? "All good." : failures + " problem(s), " + warnings
                    + " warning(s).");
        }
        return findings.stream().mapToInt(finding -> finding.level().ordinal()).max().orElse(0);
    }
}
