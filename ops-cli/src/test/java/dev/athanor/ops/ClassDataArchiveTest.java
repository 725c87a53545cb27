package dev.athanor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ops.monitoring.Finding;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the launcher's word about the class-data archive becomes in {@code ops doctor} and {@code ops version}; the
 * launcher itself is tested with the packaged jar in {@link OpsJavaLauncherIT}.
 */
class ClassDataArchiveTest {

    @Test
    void anArchiveGivenToTheJvmIsFine() {
        ClassDataArchive given = ClassDataArchive.parse("/opt/athanor/cds/ops-123.jsa").orElseThrow();

        assertThat(given.state()).isEqualTo(ClassDataArchive.State.GIVEN);
        assertThat(given.finding()).isEqualTo(Finding.ok("class data", "ops-java gives the JVM ops's class-data"
                + " archive /opt/athanor/cds/ops-123.jsa (the JVM skips one that does not match it)"));
        assertThat(given.describe()).isEqualTo("class-data archive /opt/athanor/cds/ops-123.jsa");
    }

    @Test
    void noArchiveOrOneThatIsNotMappedIsAWarningWithTheCommandThatWritesIt() {
        ClassDataArchive none = ClassDataArchive.parse("none").orElseThrow();
        ClassDataArchive refused = ClassDataArchive.parse("refused:/opt/athanor/cds/ops-1.jsa").orElseThrow();

        assertThat(none.path()).isEmpty();
        assertThat(none.finding().level()).isEqualTo(Finding.Level.WARN);
        assertThat(none.finding().message()).startsWith("no class-data archive for this ops.jar");
        assertThat(none.finding().fix()).isEqualTo("ops --write-archive backup run");
        assertThat(refused.state()).isEqualTo(ClassDataArchive.State.REFUSED);
        assertThat(refused.path()).contains(Path.of("/opt/athanor/cds/ops-1.jsa"));
        assertThat(refused.finding().level()).isEqualTo(Finding.Level.WARN);
        assertThat(refused.finding().message()).isEqualTo("/opt/athanor/cds/ops-1.jsa is not used: an archive must"
                + " be root's (or, in an OPS_CDS_DIR of one's own, one's own), and writable by nobody else");
        assertThat(refused.finding().fix()).isEqualTo("ops --write-archive backup run");
        assertThat(none.describe()).isEqualTo("no class-data archive");
        assertThat(refused.describe()).isEqualTo("class-data archive /opt/athanor/cds/ops-1.jsa not used");
    }

    @Test
    void withoutTheLauncherThereIsNothingToSay() {
        assertThat(ClassDataArchive.parse(null)).isEmpty();
        assertThat(ClassDataArchive.parse(" ")).isEmpty();
        assertThat(System.getProperty(ClassDataArchive.PROPERTY)).as("the tests' JVM was not started by ops-java")
                .isNull();
    }
}
