package dev.athanor.ops.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.backup.pitr.PitrException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PitrRestoreCommandTest {

    @Test
    void aMomentIsUtcUnlessItSaysOtherwise() throws Exception {
        assertThat(PitrRestoreCommand.parse("2026-12-06 14:03:00")).isEqualTo(Instant.parse("2026-12-06T14:03:00Z"));
        assertThat(PitrRestoreCommand.parse("2026-12-06 14:03")).isEqualTo(Instant.parse("2026-12-06T14:03:00Z"));
        assertThat(PitrRestoreCommand.parse("2026-12-06 14:03:00.250 UTC"))
                .isEqualTo(Instant.parse("2026-12-06T14:03:00.250Z"));
        assertThat(PitrRestoreCommand.parse("2026-12-06T15:03:00+01:00"))
                .isEqualTo(Instant.parse("2026-12-06T14:03:00Z"));
        assertThat(PitrRestoreCommand.parse("2026-12-06T14:03:00.123456Z"))
                .isEqualTo(Instant.parse("2026-12-06T14:03:00.123456Z"));
    }

    @Test
    void whatIsNotAMomentIsRefusedWithTheFormToUse() {
        assertThatThrownBy(() -> PitrRestoreCommand.parse("yesterday at three"))
                .isInstanceOf(PitrException.class).hasMessageContaining("\"2026-12-06 14:03:00\" (UTC)")
                .extracting(e -> ((PitrException) e).exitCode()).isEqualTo(65);
    }
}
