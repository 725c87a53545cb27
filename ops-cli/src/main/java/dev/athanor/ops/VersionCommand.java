package dev.athanor.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.AthanorVersion;
import dev.athanor.ops.shared.JsonOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ops version}: the release of these tools and the Java they run on. */
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
        if (json.enabled()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ops", version);
            result.put("java", java);
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
        } else {
            spec.commandLine().getOut().printf("ops %s (Java %s)%n", version, java);
        }
        return 0;
    }
}
