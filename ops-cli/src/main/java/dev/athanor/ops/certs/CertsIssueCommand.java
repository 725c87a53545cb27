package dev.athanor.ops.certs;

import dev.athanor.ops.shared.ConfigOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops certs issue [DOMAIN...]}: a certificate now, for the names given or those in config.yml. */
@Command(name = "issue", description = "Issue a certificate now for DOMAIN... (default: certificates.domains).")
final class CertsIssueCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "DOMAIN", description = "Names for one certificate; the first names it.")
    private List<String> domains = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        CertsCommand.certificates(config, spec).issue(domains);
        return 0;
    }
}
