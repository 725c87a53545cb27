package dev.athanor.ops.certs;

import dev.athanor.AthanorConfiguration;
import dev.athanor.ops.shared.ConfigFileException;
import dev.athanor.ops.shared.ConfigOption;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ops certs ...}: the site's TLS certificates from an ACME CA (Let's Encrypt): issue, renew when due, status,
 * check, rollback. Settings come from {@code certificates} in config.yml, alerts go through {@code alerts} and
 * {@code smtp}.
 */
@Command(name = "certs", description = "Issue, renew and check the site's TLS certificates (ACME, Let's Encrypt).",
        subcommands = {CertsIssueCommand.class, CertsRenewCommand.class, CertsStatusCommand.class,
                CertsCheckCommand.class, CertsRollbackCommand.class})
public final class CertsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The managed certificates as {@code config} describes them, speaking through {@code spec}'s output. */
    static Certificates certificates(ConfigOption config, CommandSpec spec) throws ConfigFileException {
        AthanorConfiguration configuration = config.load();
        PrintWriter out = spec.commandLine().getOut();
        return new Certificates(configuration.getCertificates(),
                configuration.getAlerts().build(configuration.getSmtp()), Clock.systemUTC(), line -> {
                    out.println(line);
                    out.flush();
                });
    }
}
