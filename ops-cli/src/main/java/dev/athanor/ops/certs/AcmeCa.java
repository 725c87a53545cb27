package dev.athanor.ops.certs;

import dev.athanor.monitoring.certificates.CertificatesFactory;
import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * The CA as {@code certificates} in config.yml describes it: an ACME session to its directory, and the account,
 * created on first use with the configured contact and key and found again by its key afterwards.
 */
final class AcmeCa {

    private final CertificatesFactory settings;
    private Session session;
    private Login login;

    public AcmeCa(CertificatesFactory settings) {
        this.settings = settings;
    }

    public URI directory() {
        return settings.getDirectoryUri();
    }

    /** The session, opened on first use (reading the directory). */
    Session session() throws IOException {
        if (session == null) {
            Optional<java.nio.file.Path> roots = settings.getTrustedRoots();
            session = roots.isPresent() ? new Session(directory(), new TrustedRootsProvider(roots.get()))
                    : new Session(directory());
        }
        return session;
    }

    /** The account, logged in; created (accepting the CA's terms) when the key is new to the CA. */
    Login login(List<String> names) throws IOException, OrderFailedException, RateLimitedException {
        if (login == null) {
            KeyPair key = AccountKey.loadOrCreate(settings.getAccountKey());
            AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
            if (!settings.getEmail().isBlank()) {
                builder.addEmail(settings.getEmail());
            }
            try {
                login = builder.createLogin(session());
            } catch (AcmeException e) {
                throw AcmeProblems.translate(names, "account", e);
            }
        }
        return login;
    }

    /** True when the CA publishes renewal information (ARI, RFC 9773). */
    boolean offersRenewalInfo() throws IOException, OrderFailedException, RateLimitedException {
        try {
            return session().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
        } catch (AcmeException e) {
            throw AcmeProblems.translate(List.of(), "directory", e);
        }
    }

    /** Checks the configured profile against the CA's; empty profile: nothing to check. */
    void checkProfile(List<String> names) throws IOException, OrderFailedException, RateLimitedException {
        String profile = settings.getProfile();
        if (profile.isEmpty()) {
            return;
        }
        try {
            if (!session().getMetadata().isProfileAllowed(profile)) {
                throw new OrderFailedException(names, null, "the CA offers no profile \"" + profile + "\" (it offers "
                        + session().getMetadata().getProfiles() + ")", null);
            }
        } catch (AcmeException e) {
            throw AcmeProblems.translate(names, "directory", e);
        }
    }

    /** The CA's renewal window for {@code certificate}, or empty when it publishes none. */
    Optional<Window> renewalWindow(X509Certificate certificate, List<String> names)
            throws IOException, OrderFailedException, RateLimitedException {
        if (!offersRenewalInfo()) {
            return Optional.empty();
        }
        try {
            RenewalInfo info = login(names).bindRenewalInfo(certificate);
            info.fetch();
            return Optional.of(new Window(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                    info.getExplanation().map(Object::toString).orElse(null)));
        } catch (AcmeException e) {
            throw AcmeProblems.translate(names, "renewal information", e);
        }
    }

    /** A suggested renewal window from the CA. */
    record Window(Instant start, Instant end, String explanation) {
    }
}
