package dev.athanor.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void bytesReadInBinaryUnitsWithOneDecimal() {
        assertThat(Sizes.human(0)).isEqualTo("0 B");
        assertThat(Sizes.human(512)).isEqualTo("512 B");
        assertThat(Sizes.human(1023)).isEqualTo("1023 B");
        assertThat(Sizes.human(1024)).isEqualTo("1.0 KiB");
        assertThat(Sizes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.human(50L << 20)).isEqualTo("50.0 MiB");
        assertThat(Sizes.human(20L << 30)).isEqualTo("20.0 GiB");
        assertThat(Sizes.human(3L << 40)).isEqualTo("3.0 TiB");
    }

    @Test
    void justUnderTheNextUnitReadsAsTheNextUnit() {
        assertThat(Sizes.human((1L << 20) - 1)).isEqualTo("1.0 MiB");
    }

    @Test
    void negativeAndExtremeCountsReadSensibly() {
        assertThat(Sizes.human(-1536)).isEqualTo("-1.5 KiB");
        assertThat(Sizes.human(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
        assertThat(Sizes.human(Long.MIN_VALUE)).isEqualTo("-8.0 EiB");
    }
}
