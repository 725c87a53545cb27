package dev.athanor.ops.deploy;

import dev.athanor.backup.TransferProgress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A release archive as {@code mvn package} builds it ({@code athanor-VERSION.tar.gz}, one top directory), unpacked
 * into a directory with a SHA-256 of every file taken on the way. Only plain files and directories under the top
 * directory are accepted: an entry that is a link, or whose path leaves the directory, refuses the whole archive.
 */
final class ReleaseArchive {

    /** The files a release cannot run without. */
    static final String[] REQUIRED = {"athanor.jar", "ops.jar", "release.properties", "systemd/athanor@.service"};

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /** What was unpacked: the version from {@code release.properties}, and each file's SHA-256 by relative path. */
    record Unpacked(String version, Map<String, String> sums) {

        /** The checksums in {@code sha256sum -c} form, sorted by path. */
        String sumsFile() {
            StringBuilder text = new StringBuilder();
            sums.forEach((path, sum) -> text.append(sum).append("  ").append(path).append('\n'));
            return text.toString();
        }

        /** The release's name: its version and the first eight hex digits of the SHA-256 of its checksums. */
        String name() {
            return version + "-" + sha256(sumsFile().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8);
        }
    }

    private ReleaseArchive() {
    }

    /** Unpacks {@code in} (tar, gzipped or not) into the empty {@code target}. */
    static Unpacked unpack(InputStream in, Path target, TransferProgress progress) throws DeployException {
        Map<String, String> sums = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(new CountingInput(in, progress)))) {
            String top = null;
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceAll("^\\./", "");
                int slash = name.indexOf('/');
                String first = slash < 0 ? name.replaceAll("/$", "") : name.substring(0, slash);
                if (top == null) {
                    top = first;
                } else if (!top.equals(first)) {
                    throw refused("more than one top directory (" + top + ", " + first + ")");
                }
                String relative = slash < 0 ? "" : name.substring(slash + 1).replaceAll("/$", "");
                if (relative.isEmpty()) {
                    continue;
                }
                Path file = target.resolve(relative).normalize();
                if (!file.startsWith(target) || relative.contains("..")) {
                    throw refused("the entry " + entry.getName() + " leaves the release directory");
                }
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO()) {
                    throw refused("the entry " + entry.getName() + " is a link or a device; only files are taken");
                } else if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else if (entry.isFile()) {
                    Files.createDirectories(file.getParent());
                    sums.put(relative, copy(tar, file));
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x"
                            : "rw-r--r--"));
                } else {
                    throw refused("the entry " + entry.getName() + " is a link or a device; only files are taken");
                }
            }
        } catch (IOException e) {
            throw new DeployException("the release archive cannot be read: " + e.getMessage()
                    + " (is it the athanor-VERSION.tar.gz that mvn package builds?)", 65, e);
        } finally {
            progress.done();
        }
        if (sums.isEmpty()) {
            throw refused("it holds no file (is it the athanor-VERSION.tar.gz that mvn package builds?)");
        }
        for (String required : REQUIRED) {
            if (!sums.containsKey(required)) {
                throw refused("it has no " + required);
            }
        }
        return new Unpacked(version(target.resolve("release.properties")), sums);
    }

    private static String version(Path file) throws DeployException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw refused("release.properties cannot be read: " + e.getMessage());
        }
        String version = properties.getProperty("version", "").strip();
        if (!VERSION.matcher(version).matches()) {
            throw refused("release.properties names no usable version (\"" + version + "\": letters, digits, . _ + -)");
        }
        return version;
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }

    /** Copies one entry; a failure to write (a full disk) is told apart from a damaged archive. */
    private static String copy(InputStream in, Path file) throws IOException, DeployException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                try {
                    out.write(buffer, 0, read);
                } catch (IOException e) {
                    throw new DeployException("cannot write " + file + ": " + e.getMessage()
                            + "; nothing was installed", 74, e);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of {@code bytes}, in hex. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The SHA-256 of a file, in hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static DeployException refused(String why) {
        return new DeployException("the release archive is refused: " + why, 65);
    }

    /** Counts the bytes read for the progress bar. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final TransferProgress progress;

        CountingInput(InputStream in, TransferProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                progress.advance(read);
            }
            return read;
        }
    }
}
