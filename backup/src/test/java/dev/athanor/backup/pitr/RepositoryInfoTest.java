package dev.athanor.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepositoryInfoTest {

    private static final String INFO = """
            [{"archive":[{"id":"15-1","max":"000000010000000000000009","min":"000000010000000000000002"}],
              "backup":[
                {"label":"20261206-100000F_20261207-100000D","type":"diff","error":false,
                 "timestamp":{"start":1796637600,"stop":1796637660},
                 "info":{"size":2000,"repository":{"size":300}}},
                {"label":"20261206-100000F","type":"full","error":false,
                 "timestamp":{"start":1796551200,"stop":1796551320},
                 "info":{"size":1000,"repository":{"size":200}}},
                {"label":"broken","type":"full","error":true,"timestamp":{"start":1,"stop":2},"info":{}}],
              "name":"athanor","status":{"code":0,"message":"ok"}}]
            """;

    @Test
    void readsTheBackupsOldestFirstLeavingOutFailedOnes() throws Exception {
        RepositoryInfo info = RepositoryInfo.parse(INFO);

        assertThat(info.backups()).extracting(RepositoryInfo.StoredBackup::label)
                .containsExactly("20261206-100000F", "20261206-100000F_20261207-100000D");
        assertThat(info.newestSegment()).contains("000000010000000000000009");
        assertThat(info.newest().orElseThrow().repositoryBytes()).isEqualTo(300);
    }

    @Test
    void theWindowRunsFromTheOldestBackupsEndToTheLastArchivedSegment() throws Exception {
        RepositoryInfo info = RepositoryInfo.parse(INFO);
        Instant archived = Instant.ofEpochSecond(1796640000);

        RecoveryWindow window = info.window(Optional.of(archived)).orElseThrow();

        assertThat(window.oldest()).isEqualTo(Instant.ofEpochSecond(1796551320));
        assertThat(window.newest()).isEqualTo(archived);
        assertThat(window.contains(Instant.ofEpochSecond(1796551319))).isFalse();
        assertThat(info.window(Optional.empty()).orElseThrow().newest()).isEqualTo(Instant.ofEpochSecond(1796637660));
    }

    @Test
    void anEmptyRepositoryHasNoWindow() throws Exception {
        assertThat(RepositoryInfo.parse("[{\"name\":\"athanor\",\"backup\":[],\"archive\":[],"
                + "\"status\":{\"code\":2,\"message\":\"no valid backups\"}}]").window(Optional.empty())).isEmpty();
    }

    @Test
    void aTargetIsWrittenToTheMillisecondInUtcAsPgBackRestReadsIt() {
        RecoveryTarget target = RecoveryTarget.at(Instant.parse("2026-12-06T14:03:00.123456Z"));

        assertThat(target.options()).containsExactly("--type=time", "--target=2026-12-06 14:03:00.123+00",
                "--target-action=promote");
        assertThat(RecoveryTarget.latest().options()).containsExactly("--type=default");
    }
}
