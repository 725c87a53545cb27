package dev.athanor.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: argon2id (Bouncy Castle) at no less than OWASP's minimum (19 MiB of memory, 2 passes, one lane),
 * stored in the usual encoded form {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}, so the parameters travel with
 * each hash and a hash made with weaker ones is recognised and replaced at the next sign-in. Every hash runs in a slot
 * of a {@link HashingPool}, so however many sign-ins arrive at once, only a few hashes' memory is in use.
 */
final class Passwords {

    /** The parameters new hashes get. */
    record Cost(int memoryKib, int iterations, int parallelism) {
        static final Cost OWASP_MINIMUM = new Cost(19 * 1024, 2, 1);

        /** The heap one hash takes while it runs. */
        long bytes() {
            return memoryKib * 1024L;
        }

        boolean weakerThan(Cost other) {
            return memoryKib < other.memoryKib || iterations < other.iterations;
        }
    }

    private static final Pattern ENCODED = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder ENCODE = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getDecoder();

    private final Cost cost;
    private final HashingPool pool;
    private final SecureRandom random = new SecureRandom();
    /** A hash of nothing in particular, verified against when there is no account, so both take as long. */
    private final String decoy;

    Passwords(Cost cost, HashingPool pool) {
        this.cost = cost;
        this.pool = pool;
        this.decoy = hash("decoy password that matches no account");
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, cost);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
                + ENCODE.encodeToString(salt) + "$" + ENCODE.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code encoded}; null or garbage never matches (but costs the same). */
    boolean matches(String password, String encoded) {
        Matcher parts = encoded == null ? null : ENCODED.matcher(encoded);
        if (parts == null || !parts.matches()) {
            matches(password, decoy);
            return false;
        }
        Cost used = new Cost(Integer.parseInt(parts.group(1)), Integer.parseInt(parts.group(2)),
                Integer.parseInt(parts.group(3)));
        byte[] expected = DECODE.decode(parts.group(5));
        byte[] actual = derive(password, DECODE.decode(parts.group(4)), used);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of a real check when there is no account to check against. */
    void waste(String password) {
        matches(password, decoy);
    }

    /** Whether a matching hash should be replaced because it was made with weaker parameters than today's. */
    boolean needsRehash(String encoded) {
        Matcher parts = ENCODED.matcher(encoded);
        return !parts.matches() || new Cost(Integer.parseInt(parts.group(1)), Integer.parseInt(parts.group(2)),
                Integer.parseInt(parts.group(3))).weakerThan(cost);
    }

    private byte[] derive(String password, byte[] salt, Cost cost) {
        return pool.run(() -> argon2id(password, salt, cost));
    }

    private static byte[] argon2id(String password, byte[] salt, Cost cost) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build());
        byte[] hash = new byte[HASH_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        return hash;
    }
}
