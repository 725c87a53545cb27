package dev.athanor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** The migrations the site ships (the files under db/migration), so tests need no list kept by hand. */
public final class ShippedMigrations {

    private ShippedMigrations() {
    }

    /** Their versions, in order: "1", "2", ... */
    public static List<String> versions() {
        Path here = Path.of("src", "main", "resources", "db", "migration");
        Path folder = Files.isDirectory(here) ? here : Path.of("..", "app").resolve(here); // from another module
        try (var files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(Comparator.comparingInt(Integer::parseInt))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
