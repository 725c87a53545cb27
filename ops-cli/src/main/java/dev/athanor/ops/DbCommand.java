package dev.athanor.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ops.shared.ConfigOption;
import dev.athanor.ops.shared.JsonOption;
import dev.athanor.platform.db.DatabaseServer;
import dev.athanor.platform.db.Migrations;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ops db info [--json]} and {@code ops db migrate}: the schema's state and its migrations, on the configured database or
 * the embedded default (started for the command if the site is not running, and stopped again after).
 */
@Command(name = "db", description = "Show or apply the database migrations.",
        subcommands = {DbCommand.Info.class, DbCommand.Migrate.class})
final class DbCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "info", description = "List every migration and its state.")
    static final class Info implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Mixin
        private JsonOption json;

        @Override
        public Integer call() throws Exception {
            try (DatabaseServer server = config.openDatabase()) {
                Migrations migrations = new Migrations(server.dataSource("athanor-ops"));
                PrintWriter out = spec.commandLine().getOut();
                if (json.enabled()) {
                    out.println(toJson(server, migrations));
                } else {
                    out.println("Database: " + server.describe());
                    migrations.statusTable().forEach(out::println);
                }
                return migrations.problem().isPresent() ? 1 : 0;
            }
        }

        private static String toJson(DatabaseServer server, Migrations migrations) throws JsonProcessingException {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("database", server.describe());
            result.put("migrations", migrations.status().stream().map(migration -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("version", migration.version());
                row.put("description", migration.description());
                row.put("state", migration.state());
                row.put("installedOn", migration.installedOn().map(Instant::toString).orElse(null));
                return row;
            }).toList());
            result.put("problem", migrations.problem().orElse(null));
            return new ObjectMapper().writeValueAsString(result);
        }
    }

    @Command(name = "migrate", description = "Apply pending migrations.")
    static final class Migrate implements Callable<Integer> {

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (DatabaseServer server = config.openDatabase()) {
                int applied = new Migrations(server.dataSource("athanor-ops")).migrate();
                spec.commandLine().getOut().println(
                        applied == 0 ? "Schema up to date." : "Applied " + applied + " migration(s).");
                return 0;
            }
        }
    }
}
