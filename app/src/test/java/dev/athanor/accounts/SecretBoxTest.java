package dev.athanor.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Sealed secrets open with the same key for the same owner, and not otherwise. */
class SecretBoxTest {

    private static final byte[] KEY = "an accounts secret of at least 32 characters".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealsWithAFreshNonceAndOpensOnlyForItsOwnerAndKey() {
        SecretBox box = new SecretBox(KEY, "test");
        byte[] secret = "twenty secret bytes!".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = box.seal(secret, "totp:1");
        assertThat(sealed).hasSize(12 + secret.length + 16).isNotEqualTo(box.seal(secret, "totp:1"));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("twenty secret bytes!");
        assertThat(box.open(sealed, "totp:1")).isEqualTo(secret);

        assertThatThrownBy(() -> box.open(sealed, "totp:2")).isInstanceOf(SecretBox.Unreadable.class);
        assertThatThrownBy(() -> new SecretBox("another secret, also long enough to use".getBytes(
                StandardCharsets.UTF_8), "test").open(sealed, "totp:1")).isInstanceOf(SecretBox.Unreadable.class);
        assertThatThrownBy(() -> new SecretBox(KEY, "other label").open(sealed, "totp:1"))
                .isInstanceOf(SecretBox.Unreadable.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(sealed, "totp:1")).isInstanceOf(SecretBox.Unreadable.class);
        assertThatThrownBy(() -> box.open(new byte[3], "totp:1")).isInstanceOf(SecretBox.Unreadable.class);
    }
}
