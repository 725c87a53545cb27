package dev.athanor.backup.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStorageTest {

    @TempDir
    Path directory;

    @Test
    void anUploadIsInvisibleUntilCompleteAndGoneWhenAborted() throws Exception {
        DirectoryStorage storage = new DirectoryStorage(directory);

        StorageUpload upload = storage.upload("a.dump");
        upload.write(new byte[1000]);
        assertThat(storage.list()).isEmpty();
        assertThat(upload.complete()).isEqualTo(1000);
        assertThat(storage.list()).extracting(StoredObject::name).containsExactly("a.dump");

        StorageUpload aborted = storage.upload("b.dump");
        aborted.write(new byte[10]);
        aborted.abort();
        assertThat(storage.list()).extracting(StoredObject::name).containsExactly("a.dump");
        try (var files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("a.dump");
        }
    }
}
