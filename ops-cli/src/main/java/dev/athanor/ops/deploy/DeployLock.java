package dev.athanor.ops.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One deploy, rollback or maintenance change at a time per install directory: a lock on {@code DIR/deploy.lock},
 * which the kernel lets go of when the process ends however it ends (a deploy killed with -9 holds nothing).
 */
final class DeployLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DeployLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DeployLock acquire(Path installDirectory) throws DeployException {
        try {
            Files.createDirectories(installDirectory);
            FileChannel channel = FileChannel.open(installDirectory.resolve("deploy.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new DeployException("another ops deploy or rollback is running on " + installDirectory
                        + "; wait for it to finish", 75);
            }
            return new DeployLock(channel, lock);
        } catch (IOException e) {
            throw new DeployException("cannot lock " + installDirectory + ": " + e.getMessage(), 74, e);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
