package dev.athanor.ops.certs;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** acme4j's key and CSR utilities need Bouncy Castle registered as a security provider; this does it once. */
public final class BouncyCastle {

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private BouncyCastle() {
    }

    /** Registers the provider (the first call does; later calls do nothing). */
    public static void install() {
        // the static initializer did the work
    }
}
