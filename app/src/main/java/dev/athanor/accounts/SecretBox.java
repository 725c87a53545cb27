package dev.athanor.accounts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps small secrets (two-factor secrets) encrypted at rest: AES-256-GCM under a key derived from the accounts
 * secret (HMAC-SHA256 of a fixed label), a random 96-bit nonce per value, and the row's owner as associated data, so
 * a copy of the database alone reveals nothing and a sealed value moved to another learner does not open. Stored as
 * nonce followed by ciphertext and tag. Changing the accounts secret makes sealed values unreadable.
 */
final class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecretBox(byte[] accountsSecret, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(accountsSecret, "HmacSHA256"));
            this.key = new SecretKeySpec(mac.doFinal(("athanor " + label).getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Thrown when a sealed value does not open: altered, moved to another owner, or sealed under another key. */
    static final class Unreadable extends RuntimeException {
        Unreadable(Throwable cause) {
            super("a sealed secret does not open with this key (was the accounts secret changed?)", cause);
        }
    }

    byte[] seal(byte[] plain, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, owner, plain, 0, plain.length);
        return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    }

    byte[] open(byte[] sealed, String owner) {
        if (sealed.length <= NONCE_BYTES) {
            throw new Unreadable(null);
        }
        byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE_BYTES);
        return run(Cipher.DECRYPT_MODE, nonce, owner, sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }

    private byte[] run(int mode, byte[] nonce, String owner, byte[] input, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, length);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
