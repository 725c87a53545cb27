package dev.athanor.content;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A Markdown file's YAML front matter (between two {@code ---} lines at the top) and the body after it. Values are
 * read with the line they stand on, so every complaint names the file and the line; keys the file type does not know
 * are refused, so a misspelt {@code titel:} is caught instead of silently ignored.
 */
final class FrontMatter {

    private final Path file;
    private final Map<String, Node> values;
    private final Map<String, Integer> keyLines;
    private final int keyLine;
    private final String body;
    private final int bodyLine;

    private FrontMatter(Path file, Map<String, Node> values, Map<String, Integer> keyLines, int keyLine, String body,
            int bodyLine) {
        this.file = file;
        this.values = values;
        this.keyLines = keyLines;
        this.keyLine = keyLine;
        this.body = body;
        this.bodyLine = bodyLine;
    }

    /** Splits and parses {@code text}, the contents of {@code file}, allowing only {@code allowedKeys}. */
    static FrontMatter parse(Path file, String text, Set<String> allowedKeys) throws ContentImportException {
        String normalized = text.replace("\r\n", "\n");
        if (normalized.startsWith("\uFEFF")) {
            normalized = normalized.substring(1);
        }
        String[] lines = normalized.split("\n", -1);
        if (!lines[0].strip().equals("---")) {
            throw new ContentImportException(file, 1, "front matter missing: the file must start with a line '---'");
        }
        int close = -1;
        for (int i = 1; i < lines.length && close < 0; i++) {
            if (lines[i].strip().equals("---")) {
                close = i;
            }
        }
        if (close < 0) {
            throw new ContentImportException(file, 1, "front matter not closed: add a line '---' after it");
        }
        String yaml = String.join("\n", java.util.Arrays.copyOfRange(lines, 1, close));
        String body = String.join("\n", java.util.Arrays.copyOfRange(lines, close + 1, lines.length));
        int bodyLine = close + 2;
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 2;
            throw new ContentImportException(file, line, "front matter is not valid YAML: " + e.getProblem());
        }
        if (root != null) {
            if (!(root instanceof MappingNode mapping)) {
                throw new ContentImportException(file, 2, "front matter must be 'key: value' lines");
            }
            for (NodeTuple tuple : mapping.getValue()) {
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                int line = lineOf(tuple.getKeyNode());
                if (!allowedKeys.contains(key)) {
                    throw new ContentImportException(file, line, "unknown key '" + key + "' (known: "
                            + String.join(", ", allowedKeys) + ")");
                }
                if (values.containsKey(key)) {
                    throw new ContentImportException(file, line, "key '" + key + "' appears twice");
                }
                values.put(key, tuple.getValueNode());
                keyLines.put(key, line);
            }
        }
        return new FrontMatter(file, values, keyLines, 2, body, bodyLine);
    }

    /** The Markdown after the front matter. */
    String body() {
        return body;
    }

    /** The line the body starts on. */
    int bodyLine() {
        return bodyLine;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The line {@code key} stands on, or the first line of the front matter when it is absent. */
    int line(String key) {
        Node node = values.get(key);
        return node == null ? keyLine : lineOf(node);
    }

    /** The line of {@code key:} itself (its value may start below it), or the front matter's first line. */
    int keyLine(String key) {
        return keyLines.getOrDefault(key, keyLine);
    }

    String requiredText(String key) throws ContentImportException {
        return optionalText(key).orElseThrow(() -> new ContentImportException(file, keyLine,
                "'" + key + "' is required"));
    }

    Optional<String> optionalText(String key) throws ContentImportException {
        Node node = values.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw new ContentImportException(file, lineOf(node), "'" + key + "' must be a single value");
        }
        String value = scalar.getValue().strip();
        if (value.isEmpty()) {
            throw new ContentImportException(file, lineOf(node), "'" + key + "' is empty");
        }
        return Optional.of(value);
    }

    boolean flag(String key, boolean absent) throws ContentImportException {
        Optional<String> value = optionalText(key);
        if (value.isEmpty()) {
            return absent;
        }
        return switch (value.get()) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new ContentImportException(file, line(key), "'" + key + "' must be true or false");
        };
    }

    /** A date written as {@code 2026-11-26}. */
    Optional<LocalDate> date(String key) throws ContentImportException {
        Optional<String> value = optionalText(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.get()));
        } catch (DateTimeParseException e) {
            throw new ContentImportException(file, line(key), "'" + key + "' must be a date such as 2026-11-26, not '"
                    + value.get() + "'");
        }
    }

    /** A list of single values, each with its line. */
    List<Item> list(String key) throws ContentImportException {
        Node node = values.get(key);
        if (node == null) {
            return List.of();
        }
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return List.of(new Item(scalar.getValue().strip(), lineOf(node)));
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw new ContentImportException(file, lineOf(node), "'" + key + "' must be a list");
        }
        List<Item> items = new ArrayList<>();
        for (Node element : sequence.getValue()) {
            if (!(element instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                throw new ContentImportException(file, lineOf(element), "'" + key + "' entries must be single values");
            }
            items.add(new Item(scalar.getValue().strip(), lineOf(element)));
        }
        return items;
    }

    /** One list entry and its line. */
    record Item(String value, int line) {
    }

    /**
     * A mapping of names, each to a single value ({@code en: file.vtt}) or to a mapping of single values
     * ({@code en: {file: file.vtt, label: English}}), in the file's order. A single value is read as the field
     * {@code singleField}; the fields a mapping may have are {@code fields}.
     */
    List<Entry> mapping(String key, String singleField, Set<String> fields) throws ContentImportException {
        Node node = values.get(key);
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw new ContentImportException(file, lineOf(node), "'" + key + "' must be 'name: value' lines, one"
                    + " more indented than '" + key + ":'");
        }
        List<Entry> entries = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = scalar(key, tuple.getKeyNode());
            Map<String, Item> read = new LinkedHashMap<>();
            if (tuple.getValueNode() instanceof MappingNode inner) {
                for (NodeTuple field : inner.getValue()) {
                    String fieldName = scalar(key + "." + name, field.getKeyNode());
                    if (!fields.contains(fieldName)) {
                        throw new ContentImportException(file, lineOf(field.getKeyNode()), "unknown key '" + fieldName
                                + "' in '" + key + "." + name + "' (known: " + String.join(", ", fields) + ")");
                    }
                    read.put(fieldName, new Item(scalar(key + "." + name + "." + fieldName, field.getValueNode()),
                            lineOf(field.getValueNode())));
                }
            } else {
                read.put(singleField, new Item(scalar(key + "." + name, tuple.getValueNode()),
                        lineOf(tuple.getValueNode())));
            }
            entries.add(new Entry(name, lineOf(tuple.getKeyNode()), read));
        }
        return entries;
    }

    /** One entry of a {@link #mapping}: its name, its line and its fields. */
    record Entry(String name, int line, Map<String, Item> fields) {
    }

    private String scalar(String what, Node node) throws ContentImportException {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw new ContentImportException(file, lineOf(node), "'" + what + "' must be a single value");
        }
        return scalar.getValue().strip();
    }

    /** Lines in the file: the YAML starts on the file's second line. */
    private static int lineOf(Node node) {
        return node.getStartMark().getLine() + 2;
    }
}
