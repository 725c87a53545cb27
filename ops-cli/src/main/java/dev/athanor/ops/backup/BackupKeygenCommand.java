package dev.athanor.ops.backup;

import dev.athanor.backup.archive.AgeEncryption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops backup keygen FILE}: a new age key file (mode 0600) for {@code backup.encryption.keyFile}. */
@Command(name = "keygen", description = "Create an encryption key file for backup.encryption.keyFile.")
final class BackupKeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the key (never overwritten).")
    private Path file;

    @Override
    public Integer call() throws IOException {
        String key = AgeEncryption.newKeyFile();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file + " exists; a key file is never overwritten");
        }
        Files.writeString(file, key, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        String recipient = key.lines().filter(line -> line.startsWith("# public key: ")).findFirst().orElseThrow();
        spec.commandLine().getOut().printf("Wrote %s (%s). Keep a copy away from this server:"
                + " without it no encrypted backup can be restored.%n", file, recipient.substring(2));
        return 0;
    }
}
