package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238's test vectors (Appendix B, HMAC-SHA1, eight digits as the RFC lists them), and the ±1 step window. */
class TotpTest {

    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "59, 0000000000000001, 94287082",
        "1111111109, 00000000023523EC, 07081804",
        "1111111111, 00000000023523ED, 14050471",
        "1234567890, 000000000273EF07, 89005924",
        "2000000000, 0000000003F940AA, 69279037",
        "20000000000, 0000000027BC86AA, 65353130"})
    void theRfcVectors(long seconds, String stepHex, String expected) {
        Instant time = Instant.ofEpochSecond(seconds);
        assertThat(Totp.step(time)).isEqualTo(Long.parseLong(stepHex, 16));
        Totp eightDigits = new Totp(8);
        assertThat(eightDigits.code(RFC_SEED, Totp.step(time))).isEqualTo(expected);
        assertThat(eightDigits.match(RFC_SEED, expected, time)).hasValue(Totp.step(time));
    }

    @Test
    void sixDigitsAreTheLastSixOfTheTruncatedValue() {
        Instant time = Instant.ofEpochSecond(1111111109);
        assertThat(new Totp().code(RFC_SEED, Totp.step(time))).isEqualTo("081804").hasSize(Totp.DIGITS);
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        Totp totp = new Totp();
        Instant now = Instant.ofEpochSecond(1_700_000_010);
        long step = Totp.step(now);
        assertThat(totp.match(RFC_SEED, totp.code(RFC_SEED, step), now)).hasValue(step);
        assertThat(totp.match(RFC_SEED, totp.code(RFC_SEED, step - 1), now)).hasValue(step - 1);
        assertThat(totp.match(RFC_SEED, totp.code(RFC_SEED, step + 1), now)).hasValue(step + 1);
        assertThat(totp.match(RFC_SEED, totp.code(RFC_SEED, step - 2), now)).isEmpty();
        assertThat(totp.match(RFC_SEED, totp.code(RFC_SEED, step + 2), now)).isEmpty();
        assertThat(totp.match(RFC_SEED, " " + totp.code(RFC_SEED, step).substring(0, 3) + " "
                + totp.code(RFC_SEED, step).substring(3), now)).as("spaces aside").hasValue(step);
        assertThat(totp.match(RFC_SEED, "12345", now)).isEmpty();
        assertThat(totp.match(RFC_SEED, "abcdef", now)).isEmpty();
        assertThat(totp.match(RFC_SEED, null, now)).isEmpty();
    }
}
