package dev.athanor.platform.db;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.sql.SQLException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Why a connection to the database failed, in words: the driver says "PKIX path building failed" or names its
 * host name verifier, which tells an operator little about what to change.
 */
final class ConnectionFailure {

    private ConnectionFailure() {
    }

    /**
     * What went wrong connecting to {@code url} and what to change.
     *
     * @param url the JDBC URL used, with its sslmode and sslrootcert
     */
    static String explain(SQLException error, DatabaseUrl url) {
        String message = String.valueOf(error.getMessage());
        Optional<String> ca = url.parameter("sslrootcert").map(ConnectionFailure::decode);
        if (causedBy(error, CertPathBuilderException.class) || causedBy(error, CertPathValidatorException.class)
                || message.contains("PKIX path")) {
            return ca.map(file -> "the server's TLS certificate is not signed by the CA in " + file
                    + " (database.caFile): download the CA certificate of this database server again")
                    .orElse("the server's TLS certificate is not signed by a CA this host trusts: download the"
                            + " database server's CA certificate and set database.caFile (DATABASE_CA_FILE)");
        }
        if (message.contains("could not be verified by hostnameverifier")) {
            return "the server's TLS certificate does not name the host " + host(url.jdbcUrl()) + ": connect by a"
                    + " host name the certificate lists (the one the managed service prints), or, if it lists none,"
                    + " say sslmode=verify-ca in the URL";
        }
        if (message.contains("does not support SSL")) {
            return "the server does not offer TLS, but sslmode=" + url.parameter("sslmode").orElse("")
                    + " requires it: turn ssl on in PostgreSQL, or check the host and port";
        }
        if (causedBy(error, SSLException.class)) {
            return "the TLS handshake failed: " + message;
        }
        return message;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port/database} of a JDBC URL, for messages. */
    static String address(String jdbcUrl) {
        String rest = jdbcUrl.replaceFirst("^jdbc:postgresql://", "");
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static String host(String jdbcUrl) {
        String address = address(jdbcUrl);
        String hostPort = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
        return hostPort.startsWith("[") ? hostPort.substring(0, hostPort.indexOf(']') + 1)
                : hostPort.split(":")[0];
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
