package dev.athanor.ops;

import dev.athanor.content.ContentImportException;
import dev.athanor.ops.certs.CertsException;
import dev.athanor.ops.certs.NoSuchCertificateException;
import dev.athanor.ops.certs.OrderFailedException;
import dev.athanor.ops.certs.RateLimitedException;
import dev.athanor.ops.certs.ReloadFailedException;
import dev.athanor.ops.certs.TargetNotWritableException;
import dev.athanor.ops.certs.UnusableCertificateException;
import dev.athanor.ops.certs.WaitingException;
import dev.athanor.backup.BackupException;
import dev.athanor.backup.BackupFailedException;
import dev.athanor.backup.BackupNotFoundException;
import dev.athanor.backup.RestoreRefusedException;
import dev.athanor.backup.ToolNotFoundException;
import dev.athanor.backup.VerificationFailedException;
import dev.athanor.backup.archive.ChecksumMismatchException;
import dev.athanor.backup.archive.KeyFileException;
import dev.athanor.backup.storage.StorageException;
import dev.athanor.ops.shared.ConfigFileException;
import dev.athanor.platform.cli.StartupProblem;
import dev.athanor.platform.db.EmbeddedPostgresException;
import io.dropwizard.configuration.ConfigurationException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;

/**
 * How a failed command ends: one line for the operator and an exit code for scripts, following sysexits(3) where it
 * has a word for the case.
 */
public record OpsFailure(String message, int exitCode) {

    /** Something went wrong that has no better code. */
    static final int SOFTWARE = 70;
    /** A service the command needs (the database) could not be reached. */
    static final int UNAVAILABLE = 69;
    /** The configuration is missing or wrong. */
    public static final int CONFIG = 78;
    /** A file could not be read or written; the backup storage could not be reached. */
    static final int IO = 74;
    /** The command line was wrong in a way picocli could not see (a malformed URL, a missing password). */
    public static final int USAGE = 2;
    /** Input data was wrong: a content folder, a certificate the CA sent that failed the checks, a damaged
     *  archive, a backup that failed its verification. */
    public static final int DATA = 65;
    /** Something named does not exist (a certificate, a previous pair to roll back to, a backup). */
    public static final int NO_INPUT = 66;
    /** A system command failed (the web server's reload). */
    static final int OS = 71;
    /** An output cannot be created: a file or directory, a restore into a database that is not empty. */
    static final int CANT_CREATE = 73;
    /** Try again later: the CA's rate limit or our back-off is in force. */
    static final int TEMPORARY = 75;

    static OpsFailure of(Exception e) {
        if (e instanceof dev.athanor.ops.deploy.DeployException deploy) {
            return new OpsFailure(deploy.getMessage(), deploy.exitCode());
        }
        if (e instanceof dev.athanor.backup.pitr.PitrException pitr) {
            return new OpsFailure(pitr.getMessage(), pitr.exitCode());
        }
        if (e instanceof dev.athanor.ops.nginx.NginxException nginx) {
            return new OpsFailure("nginx: " + messageOf(nginx).replaceFirst("^nginx:? ", ""), OS);
        }
        if (e instanceof ConfigFileException config) {
            return new OpsFailure(config.getMessage(), CONFIG);
        }
        if (e instanceof ContentImportException content) {
            return new OpsFailure(content.getMessage() + " (nothing was imported)", DATA);
        }
        if (e instanceof ConfigurationException config) {
            return new OpsFailure(StartupProblem.describe(config, null), CONFIG);
        }
        if (e instanceof CertsException certs) {
            return ofCertificates(certs);
        }
        if (e instanceof com.stripe.exception.StripeException stripe) {
            return new OpsFailure("Stripe: " + messageOf(stripe), UNAVAILABLE);
        }
        if (e instanceof KeyFileException) {
            return new OpsFailure(messageOf(e), CONFIG);
        }
        if (e instanceof ToolNotFoundException) {
            return new OpsFailure(messageOf(e), UNAVAILABLE);
        }
        if (e instanceof ChecksumMismatchException || e instanceof VerificationFailedException) {
            return new OpsFailure(messageOf(e), DATA);
        }
        if (e instanceof BackupNotFoundException) {
            return new OpsFailure(messageOf(e), NO_INPUT);
        }
        if (e instanceof RestoreRefusedException) {
            return new OpsFailure(messageOf(e), CANT_CREATE);
        }
        if (e instanceof StorageException || (e instanceof BackupFailedException && causedBy(e, StorageException.class,
                software.amazon.awssdk.core.exception.SdkException.class))) {
            return new OpsFailure(messageOf(e), IO);
        }
        if (e instanceof BackupFailedException && causedBy(e, SQLException.class)) {
            return new OpsFailure(messageOf(e), UNAVAILABLE);
        }
        if (e instanceof BackupException) {
            return new OpsFailure(messageOf(e), SOFTWARE);
        }
        if (e instanceof IllegalArgumentException) {
            return new OpsFailure(messageOf(e), USAGE);
        }
        if (e instanceof org.quartz.SchedulerException) {
            return new OpsFailure("scheduler: " + messageOf(e), CONFIG);
        }
        if (e instanceof EmbeddedPostgresException || e instanceof SQLException
                || e.getCause() instanceof SQLException) {
            return new OpsFailure("database: " + messageOf(e), UNAVAILABLE);
        }
        if (e instanceof FileNotFoundException || e instanceof NoSuchFileException || e instanceof IOException) {
            return new OpsFailure(messageOf(e), IO);
        }
        return new OpsFailure(messageOf(e), SOFTWARE);
    }

    private static OpsFailure ofCertificates(CertsException e) {
        int code;
        if (e instanceof RateLimitedException || e instanceof WaitingException) {
            code = TEMPORARY;
        } else if (e instanceof OrderFailedException) {
            code = UNAVAILABLE;
        } else if (e instanceof UnusableCertificateException) {
            code = DATA;
        } else if (e instanceof TargetNotWritableException) {
            code = CANT_CREATE;
        } else if (e instanceof ReloadFailedException) {
            code = OS;
        } else if (e instanceof NoSuchCertificateException) {
            code = NO_INPUT;
        } else {
            code = SOFTWARE;
        }
        return new OpsFailure(messageOf(e), code);
    }

    private static boolean causedBy(Throwable e, Class<?>... types) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            for (Class<?> type : types) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
