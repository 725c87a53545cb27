package dev.athanor.accounts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.commons.codec.binary.Base32;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A learner's second factors: a TOTP authenticator (enrolled, confirmed by its first code, checked once per code) and
 * the recovery codes that stand in for it. The secret is kept sealed ({@link SecretBox}); recovery codes hashed.
 */
final class SecondFactors {

    private static final Logger LOG = LoggerFactory.getLogger(SecondFactors.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base32 BASE32 = new Base32();

    /** What an authenticator app needs: the secret as text, the otpauth:// URI, and that URI as a QR code. */
    record Enrolment(String secret, String uri, String qrCode) {
    }

    private final Totp totp = new Totp();
    private final SecretBox box;
    private final Clock clock;

    SecondFactors(byte[] accountsSecret, Clock clock) {
        this.box = new SecretBox(accountsSecret, "second-factor secrets");
        this.clock = clock;
    }

    /** Whether the learner has a confirmed second factor (and so is asked for a code at sign-in). */
    boolean enabled(Handle handle, long learnerId) {
        return dao(handle).enabled(learnerId);
    }

    /** The enrolment waiting for its first code, if any. */
    Optional<Enrolment> pendingEnrolment(Handle handle, long learnerId, String email, String issuer) {
        return dao(handle).totp(learnerId).filter(factor -> !factor.confirmed())
                .flatMap(factor -> secret(learnerId, factor))
                .map(secret -> enrolment(secret, email, issuer));
    }

    /** A new TOTP secret for the learner, replacing an unconfirmed one; empty when an authenticator is on already. */
    Optional<Enrolment> startEnrolment(Handle handle, long learnerId, String email, String issuer) {
        SecondFactorDao dao = dao(handle);
        dao.lockLearner(learnerId);
        if (dao.totp(learnerId).filter(SecondFactorDao.TotpFactor::confirmed).isPresent()) {
            return Optional.empty();
        }
        dao.deleteUnconfirmedTotp(learnerId);
        byte[] secret = new byte[Totp.SECRET_BYTES];
        RANDOM.nextBytes(secret);
        dao.insertTotp(learnerId, "Authenticator app", box.seal(secret, owner(learnerId)));
        return Optional.of(enrolment(secret, email, issuer));
    }

    /** Confirms a pending enrolment with its first code; the new recovery codes, or empty when the code is wrong. */
    Optional<List<String>> confirmEnrolment(Handle handle, long learnerId, String code) {
        Optional<SecondFactorDao.TotpFactor> factor = dao(handle).totp(learnerId).filter(found -> !found.confirmed());
        if (factor.isEmpty() || !acceptTotp(handle, learnerId, factor.get(), code)) {
            return Optional.empty();
        }
        return Optional.of(newRecoveryCodes(handle, learnerId));
    }

    /** Checks a code from the authenticator or, failing that, a recovery code (which it uses up). */
    boolean verify(Handle handle, long learnerId, String code) {
        Optional<SecondFactorDao.TotpFactor> factor = dao(handle).totp(learnerId)
                .filter(SecondFactorDao.TotpFactor::confirmed);
        if (factor.isPresent() && acceptTotp(handle, learnerId, factor.get(), code)) {
            return true;
        }
        return RecoveryCodes.hash(code)
                .map(hash -> dao(handle).useRecoveryCode(hash, learnerId, clock.instant())).orElse(false);
    }

    /** Checks a code from the authenticator only (recovery codes do not turn factors off or make new codes). */
    boolean verifyAuthenticator(Handle handle, long learnerId, String code) {
        return dao(handle).totp(learnerId).filter(SecondFactorDao.TotpFactor::confirmed)
                .map(factor -> acceptTotp(handle, learnerId, factor, code)).orElse(false);
    }

    /** Replaces the learner's recovery codes with {@link RecoveryCodes#COUNT} new ones, returned to be shown once. */
    List<String> newRecoveryCodes(Handle handle, long learnerId) {
        SecondFactorDao dao = dao(handle);
        dao.deleteRecoveryCodes(learnerId);
        List<String> codes = RecoveryCodes.generate();
        Instant now = clock.instant();
        codes.forEach(code -> dao.insertRecoveryCode(RecoveryCodes.hashOf(code), learnerId, now));
        return codes;
    }

    int recoveryCodesLeft(Handle handle, long learnerId) {
        return dao(handle).recoveryCodesLeft(learnerId);
    }

    /** Removes every second factor and recovery code of the learner; how many of each went. */
    Removed remove(Handle handle, long learnerId) {
        SecondFactorDao dao = dao(handle);
        return new Removed(dao.deleteFactors(learnerId), dao.deleteRecoveryCodes(learnerId));
    }

    /** What {@link #remove} removed. */
    record Removed(int factors, int recoveryCodes) {
    }

    private boolean acceptTotp(Handle handle, long learnerId, SecondFactorDao.TotpFactor factor, String code) {
        Optional<byte[]> secret = secret(learnerId, factor);
        if (secret.isEmpty()) {
            return false;
        }
        OptionalLong step = totp.match(secret.get(), code, clock.instant());
        return step.isPresent() && dao(handle).acceptStep(factor.id(), step.getAsLong(), clock.instant());
    }

    private Optional<byte[]> secret(long learnerId, SecondFactorDao.TotpFactor factor) {
        try {
            return Optional.of(box.open(factor.totpSecret(), owner(learnerId)));
        } catch (SecretBox.Unreadable e) {
            LOG.warn("The authenticator secret of learner {} does not open: {} (ops users reset-2fa lets them"
                    + " enrol again)", learnerId, e.getMessage());
            return Optional.empty();
        }
    }

    private static Enrolment enrolment(byte[] secret, String email, String issuer) {
        String text = BASE32.encodeAsString(secret).replace("=", "");
        String uri = "otpauth://totp/" + encode(issuer) + ":" + encode(email) + "?secret=" + text + "&issuer="
                + encode(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP.toSeconds();
        return new Enrolment(String.join(" ", text.split("(?<=\\G.{4})")), uri, QrCode.svgDataUri(uri));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String owner(long learnerId) {
        return "totp:" + learnerId;
    }

    private static SecondFactorDao dao(Handle handle) {
        return handle.attach(SecondFactorDao.class);
    }
}
