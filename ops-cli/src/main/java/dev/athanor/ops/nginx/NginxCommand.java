package dev.athanor.ops.nginx;

import dev.athanor.AthanorApplication;
import dev.athanor.AthanorConfiguration;
import dev.athanor.AthanorVersion;
import dev.athanor.monitoring.AtomicFiles;
import dev.athanor.monitoring.certificates.CertificateFiles;
import dev.athanor.monitoring.nginx.BodySizes;
import dev.athanor.monitoring.nginx.NginxSite;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.platform.web.BodyLimits;
import dev.athanor.platform.web.StaticAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops nginx config|assets}: the nginx site configuration for this config.yml, and the files it serves. */
@Command(name = "nginx", description = "Render the nginx site configuration; export the static assets nginx serves.",
        subcommands = {NginxCommand.Config.class, NginxCommand.Assets.class})
public final class NginxCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The site as nginx should serve it, from every section that has a say. */
    public static NginxSite site(AthanorConfiguration configuration) {
        List<String> names = configuration.getNginx().getServerNames();
        if (names.isEmpty()) {
            names = configuration.getCertificates().getDomains();
        }
        if (names.isEmpty()) {
            names = List.of(configuration.getSite().build().baseUrl().getHost());
        }
        CertificateFiles certificate = CertificateFiles.of(configuration.getCertificates().getDirectory(),
                names.get(0));
        return new NginxSite(configuration.getNginx(), names, certificate.chain(), certificate.key(),
                configuration.getCertificates().getWebroot(), configuration.getMedia().getDirectory(),
                configuration.getMedia().getDelivery().getAccelPrefix(),
                configuration.getMonitoring().getNginxLogDirectory(), configuration.getBilling().getCountryHeader(),
                bodySizes(configuration), AthanorApplication.pageHeaders(configuration));
    }

    /**
     * The site's own body limits, for nginx to apply per location; a larger size the site grants only to some
     * requests (the operator's upload) is streamed, so the site can refuse the rest before nginx holds the body.
     */
    static BodySizes bodySizes(AthanorConfiguration configuration) {
        BodyLimits limits = AthanorApplication.bodyLimits(configuration, request -> false);
        return new BodySizes(limits.defaultLimit(), limits.allowances().stream()
                .map(allowance -> new BodySizes.Larger(allowance.path(), allowance.limit(), allowance.conditional()))
                .toList());
    }

    @Command(name = "config", description = {"Print the nginx site configuration for this config.yml (or write it"
            + " to FILE), and write the includes it names (nginx.includeDirectory) where they are missing; the"
            + " upstream include again when nginx.peers changed.",
            "Install: ops nginx config > /etc/nginx/sites-available/athanor.conf (root's shell writes it; ops runs"
            + " as athanor), link it into sites-enabled, nginx -t, systemctl reload nginx."})
    static final class Config implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write it to FILE instead.")
        private Path output;

        @Option(names = "--local", description = "The whole configuration of local mode's own nginx instead"
                + " (deploy.mode: local): the same locations over plain http on deploy.localPort.")
        private boolean local;

        @Override
        public Integer call() throws Exception {
            AthanorConfiguration configuration = config.load();
            List<Path> includes = new ArrayList<>(FirstIncludes.writeMissing(configuration));
            if (FirstIncludes.updatePeers(configuration)) {
                includes.add(configuration.getNginx().includes().upstream());
            }
            String header = "Athanor's nginx " + (local ? "for local mode" : "site") + ", rendered by `ops nginx"
                    + " config` (ops " + AthanorVersion.current() + ") from " + config.file().toAbsolutePath()
                    .normalize() + ".\nRender it again after changing config.yml rather than editing it by hand.";
            String text = local ? NginxControl.local(configuration).render(header) : site(configuration).render(header);
            if (output == null) {
                spec.commandLine().getOut().print(text);
                spec.commandLine().getOut().flush(); // print does not flush, and ops exits right after
                includes.forEach(file -> spec.commandLine().getErr().println("Wrote " + file + " (included by the"
                        + " site's configuration)."));
            } else {
                AtomicFiles.write(output, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
                includes.forEach(file -> spec.commandLine().getOut().println("Wrote " + file + "."));
                spec.commandLine().getOut().println("Wrote " + output + "; check it with nginx -t.");
            }
            return 0;
        }
    }

    @Command(name = "assets", description = {"Export the site's hashed static files (and gzipped copies) for nginx"
            + " to serve: DIR/assets/NAME.HASH.EXT.", "Run after each upgrade; old files stay, for pages still"
            + " cached."})
    static final class Assets implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "DIR", description = "Where to (default: nginx.staticRoot).")
        private Path directory;

        @Override
        public Integer call() throws Exception {
            Path root = directory != null ? directory : config.load().getNginx().getStaticRoot();
            Path assets = root.resolve(StaticAssets.PATH.substring(1));
            Files.createDirectories(assets);
            int written = 0;
            for (StaticAssets.Asset asset : StaticAssets.load(StaticAssets.SITE).all()) {
                written += write(assets.resolve(asset.name()), asset.bytes());
                if (asset.gzipped().isPresent()) {
                    written += write(assets.resolve(asset.name() + ".gz"), asset.gzipped().get());
                }
            }
            spec.commandLine().getOut().println("Exported " + StaticAssets.SITE.size() + " assets to " + assets
                    + " (" + written + " files written, the rest already there).");
            return 0;
        }

        private static int write(Path file, byte[] bytes) throws IOException {
            if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
                return 0;
            }
            AtomicFiles.write(file, bytes, AtomicFiles.PUBLIC);
            return 1;
        }
    }
}
