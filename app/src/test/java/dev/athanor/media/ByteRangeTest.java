package dev.athanor.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void readsTheThreeFormsOfASingleRange() {
        assertThat(ByteRange.parse("bytes=0-99", 1000).range()).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=900-", 1000).range()).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000).range()).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=990-2000", 1000).range()).contains(new ByteRange(990, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000).range()).contains(new ByteRange(0, 999));
    }

    @Test
    void ignoresWhatItDoesNotServe() {
        for (String header : new String[] {null, "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=5-2", "bytes"}) {
            ByteRange.Outcome outcome = ByteRange.parse(header, 1000);
            assertThat(outcome.satisfiable()).as(header).isTrue();
            assertThat(outcome.range()).as(header).isEmpty();
        }
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000).satisfiable()).isFalse();
        assertThat(ByteRange.parse("bytes=-0", 1000).satisfiable()).isFalse();
        assertThat(ByteRange.parse("bytes=0-", 0).satisfiable()).isFalse();
    }
}
