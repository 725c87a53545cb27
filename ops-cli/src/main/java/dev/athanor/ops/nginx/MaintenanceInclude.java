package dev.athanor.ops.nginx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.monitoring.nginx.NginxIncludes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code athanor-maintenance.conf}: the {@code geo $athanor_maintenance} block, empty for everyone when maintenance is
 * off; when on, {@code on} for everyone but the operator's addresses, which get {@code operator}. The state (since,
 * message, addresses) rides along as one JSON comment line, so the file nginx reads is the only record of it.
 */
final class MaintenanceInclude {

    private static final String STATE = "# state: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaintenanceInclude() {
    }

    /** The include's text: maintenance on as {@code state} says, or off when empty. */
    static String render(Optional<MaintenanceState> state) {
        StringBuilder text = new StringBuilder("# Maintenance mode: ").append(state.isPresent() ? "on" : "off")
                .append(". Written by ops maintenance on|off (ops maintenance status shows it); edits here do not"
                        + " last.\n");
        state.ifPresent(on -> text.append(STATE).append(json(on)).append('\n'));
        text.append("geo ").append(NginxIncludes.MAINTENANCE_VARIABLE).append(" {\n");
        if (state.isEmpty()) {
            return text.append("    default \"\";\n}\n").toString();
        }
        text.append("    default on;\n");
        for (String address : state.get().addresses()) {
            if (!NginxIncludes.isAddress(address)) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + address);
            }
            text.append("    ").append(address).append(" operator;\n");
        }
        return text.append("}\n").toString();
    }

    /** The state {@code file} records: empty when maintenance is off or there is no file. */
    static Optional<MaintenanceState> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.stream().noneMatch(line -> line.strip().equals("default on;"))) {
            return Optional.empty();
        }
        Optional<String> state = lines.stream().filter(line -> line.startsWith(STATE)).findFirst();
        if (state.isEmpty()) { // written by hand: what nginx does is what counts
            List<String> addresses = new ArrayList<>();
            lines.stream().map(String::strip).filter(line -> line.endsWith(" operator;"))
                    .forEach(line -> addresses.add(line.substring(0, line.indexOf(' '))));
            return Optional.of(new MaintenanceState(Files.getLastModifiedTime(file).toInstant(), "", addresses));
        }
        JsonNode node = JSON.readTree(state.get().substring(STATE.length()));
        List<String> addresses = new ArrayList<>();
        node.path("addresses").forEach(address -> addresses.add(address.asText()));
        return Optional.of(new MaintenanceState(Instant.parse(node.path("since").asText()),
                node.path("message").asText(""), addresses));
    }

    private static String json(MaintenanceState state) {
        ObjectNode node = JSON.createObjectNode().put("since", state.since().toString())
                .put("message", state.message());
        state.addresses().forEach(node.putArray("addresses")::add);
        return node.toString();
    }
}
