package dev.athanor.ops.certs;

import dev.athanor.ops.shared.ConfigOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops certs rollback DOMAIN}: the previous certificate and key back in place, and the server reloaded. */
@Command(name = "rollback", description = "Put the previous certificate and key of DOMAIN back, and reload.")
final class CertsRollbackCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DOMAIN", description = "The certificate's name (its first domain).")
    private String domain;

    @Override
    public Integer call() throws Exception {
        CertsCommand.certificates(config, spec).rollback(domain);
        return 0;
    }
}
