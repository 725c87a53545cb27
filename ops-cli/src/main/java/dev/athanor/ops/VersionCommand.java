package dev.athanor.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorVersion;
import dev.athanor.ops.shared.JsonOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ops version}: the release of these tools, the Java they run on, and (started by {@code systemd/ops-java})
 * the class-data archive it gave the JVM, or that there is none.
 */
@Command(name = "version", description = "Print the version of ops and of Java.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private JsonOption json;

    @Override
    public Integer call() throws JsonProcessingException {
        String version = AthanorVersion.current();
        String java = Runtime.version().toString();
        Optional<ClassDataArchive> archive = ClassDataArchive.ofLauncher();
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ops", version);
            result.put("java", java);
            archive.ifPresent(known -> {
                Map<String, String> described = new LinkedHashMap<>();
                described.put("state", known.state().name().toLowerCase(Locale.ROOT));
                described.put("path", known.path().map(Path::toString).orElse(null));
                result.put("classDataArchive", described);
            });
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
        } else {
            spec.commandLine().getOut().printf("ops %s (Java %s%s)%n", version, java,
                    archive.map(known -> "; " + known.describe()).orElse(""));
        }
        return 0;
    }
}
