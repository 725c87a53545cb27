package dev.athanor.monitoring.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Body sizes in nginx's syntax, exact to the byte, and only plain paths as locations. */
class BodySizesTest {

    @Test
    void sizesAreWrittenInTheLargestUnitThatKeepsThemExact() {
        assertThat(BodySizes.nginxSize(64 * 1024)).isEqualTo("64k");
        assertThat(BodySizes.nginxSize(512 * 1024)).isEqualTo("512k");
        assertThat(BodySizes.nginxSize(1L << 30)).isEqualTo("1g");
        assertThat(BodySizes.nginxSize(3L << 20)).isEqualTo("3m");
        assertThat(BodySizes.nginxSize(1536L << 20)).isEqualTo("1536m");
        assertThat(BodySizes.nginxSize(64_000)).as("not a multiple of 1024").isEqualTo("64000");
    }

    @Test
    void onlyPlainPathsBecomeLocations() {
        assertThat(new BodySizes(1024, List.of(new BodySizes.Larger("/stripe/webhook", 2048, false))).larger())
                .hasSize(1);
        for (String path : List.of("/a b", "/a;}", "relative", "/a{")) {
            assertThatThrownBy(() -> new BodySizes.Larger(path, 2048, false)).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new BodySizes(0, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
