package dev.athanor.ops.certs;

import dev.athanor.monitoring.alerts.AlertKey;
import dev.athanor.monitoring.alerts.Alerts;
import java.util.List;

/** The alerts about one certificate, one key per condition, so each is sent at most once a day and closed once. */
final class CertificateAlerts {

    static final String RENEWAL_FAILED = "renewal-failed";
    static final String OVERDUE = "overdue";
    static final String EXPIRING = "expiring";
    static final String SERVED_DIFFERS = "served-differs";
    static final String RELOAD_FAILED = "reload-failed";

    private final Alerts alerts;
    private final String name;

    CertificateAlerts(Alerts alerts, String name) {
        this.alerts = alerts;
        this.name = name;
    }

    void raise(String condition, String subject, String body) {
        alerts.raise(key(condition), name + ": " + subject, body);
    }

    void resolve(String condition, String subject, String body) {
        alerts.resolve(key(condition), name + ": " + subject, body);
    }

    /** After a successful renewal: every open problem of this certificate is over. */
    void resolveAfterRenewal(String summary) {
        for (String condition : List.of(RENEWAL_FAILED, OVERDUE, EXPIRING, RELOAD_FAILED)) {
            resolve(condition, "certificate renewed", summary);
        }
    }

    private AlertKey key(String condition) {
        return AlertKey.of("certificate " + name, condition);
    }
}
