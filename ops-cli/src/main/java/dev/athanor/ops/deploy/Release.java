package dev.athanor.ops.deploy;

import java.nio.file.Path;

/**
 * One installed release: {@code releases/NAME/} holding {@code athanor.jar}, {@code ops.jar}, {@code systemd/},
 * {@code config.yml} (the shipped example), {@code release.properties} and {@code SHA256SUMS}. Its name is the
 * version and the first eight hex digits of its checksums' own SHA-256 ({@code 0.1.0-SNAPSHOT-3fa9c21b}).
 */
record Release(String name, Path directory) {

    Path siteJar() {
        return directory.resolve("athanor.jar");
    }

    Path opsJar() {
        return directory.resolve("ops.jar");
    }

    Path unitFile() {
        return directory.resolve("systemd/athanor@.service");
    }
}
