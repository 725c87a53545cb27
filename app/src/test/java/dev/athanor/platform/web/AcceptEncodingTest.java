package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void readsWhatClientsSend() {
        assertThat(AcceptEncoding.allowsGzip("gzip, deflate, br")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("br;q=1.0, gzip;q=0.8")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("*")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("identity")).isFalse();
        assertThat(AcceptEncoding.allowsGzip(null)).isFalse();
    }

    @Test
    void honoursRefusals() {
        assertThat(AcceptEncoding.allowsGzip("gzip;q=0")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("gzip; q=0.000, br")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("*;q=0")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("*, gzip;q=0")).isFalse();
    }
}
