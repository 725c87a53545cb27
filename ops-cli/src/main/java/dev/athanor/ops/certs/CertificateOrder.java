package dev.athanor.ops.certs;

import dev.athanor.common.Durations;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * One certificate ordered from the CA: the order (with {@code replaces} when renewing where the CA has ARI, and the
 * configured profile), each name proven with HTTP-01, the order finalized with a new key, and the chain downloaded.
 * Every wait is bounded.
 */
final class CertificateOrder {

    private static final Duration VALIDATION_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration ISSUANCE_TIMEOUT = Duration.ofMinutes(2);

    private final AcmeCa ca;
    private final ChallengeResponder responder;
    private final String profile;
    private final Consumer<String> warnings;

    CertificateOrder(AcmeCa ca, ChallengeResponder responder, String profile, Consumer<String> warnings) {
        this.ca = ca;
        this.responder = responder;
        this.profile = profile;
        this.warnings = warnings;
    }

    /**
     * Orders a certificate for {@code names} with {@code key}; {@code replaces} names the certificate it succeeds
     * (sent only where the CA has ARI). A replacement the CA rejects is ordered again without it, with a warning.
     */
    CertificatePair place(List<String> names, KeyPair key, Optional<X509Certificate> replaces)
            throws IOException, OrderFailedException, RateLimitedException, InterruptedException {
        Login login = ca.login(names);
        ca.checkProfile(names);
        Order order;
        boolean sendReplaces = replaces.isPresent() && ca.offersRenewalInfo();
        try {
            order = create(login, names, sendReplaces ? replaces : Optional.empty());
        } catch (AcmeException e) {
            if (!sendReplaces || !AcmeProblems.isReplacementRejected(e)) {
                throw AcmeProblems.translate(names, "order", e);
            }
            warnings.accept("the CA rejected the order as a replacement (" + e.getMessage()
                    + "); ordering a new certificate without \"replaces\"");
            try {
                order = create(login, names, Optional.empty());
            } catch (AcmeException again) {
                throw AcmeProblems.translate(names, "order", again);
            }
        }
        try {
            for (Authorization authorization : order.getAuthorizations()) {
                authorize(names, authorization);
            }
            order.waitUntilReady(VALIDATION_TIMEOUT);
            failIfInvalid(names, order);
            order.execute(key);
            Status status = order.waitForCompletion(ISSUANCE_TIMEOUT);
            if (status != Status.VALID) {
                failIfInvalid(names, order);
                throw new OrderFailedException(names, null, "the order is still " + status + " after "
                        + Durations.human(ISSUANCE_TIMEOUT), null);
            }
            List<X509Certificate> chain = order.getCertificate().getCertificateChain();
            return new CertificatePair(key, chain);
        } catch (AcmeException e) {
            throw AcmeProblems.translate(names, "order", e);
        }
    }

    private Order create(Login login, List<String> names, Optional<X509Certificate> replaces) throws AcmeException {
        OrderBuilder builder = login.newOrder().domains(names);
        if (!profile.isEmpty()) {
            builder.profile(profile);
        }
        replaces.ifPresent(builder::replaces);
        return builder.create();
    }

    private void authorize(List<String> names, Authorization authorization)
            throws AcmeException, IOException, OrderFailedException, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return; // the CA still remembers an earlier validation
        }
        String name = authorization.getIdentifier().getDomain();
        Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class).orElseThrow(
                () -> new OrderFailedException(names, null, "the CA offers no HTTP-01 challenge for " + name, null));
        responder.publish(challenge.getToken(), challenge.getAuthorization());
        try {
            challenge.trigger();
            Status status = challenge.waitForCompletion(VALIDATION_TIMEOUT);
            if (status != Status.VALID) {
                String why = challenge.getError().map(AcmeProblems::describe).orElse("status " + status);
                throw new OrderFailedException(names, challenge.getError().map(p -> p.getType().toString())
                        .orElse(null), "validation of " + name + " failed: " + why, null);
            }
        } finally {
            responder.withdraw(challenge.getToken());
        }
    }

    private static void failIfInvalid(List<String> names, Order order) throws OrderFailedException {
        if (order.getStatus() == Status.INVALID) {
            String why = order.getError().map(AcmeProblems::describe).orElse("the order is invalid");
            throw new OrderFailedException(names, order.getError().map(p -> p.getType().toString()).orElse(null),
                    why, null);
        }
    }
}
