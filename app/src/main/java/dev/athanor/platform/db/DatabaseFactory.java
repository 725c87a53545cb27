package dev.athanor.platform.db;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.db.ManagedPooledDataSource;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.Map;

/**
 * The {@code database} section: which PostgreSQL to use and the connection pool around it.
 *
 * <p>With {@code url} set to {@code embedded} (the default), a private PostgreSQL is started under
 * {@code embedded.directory}. Otherwise {@code url} names the server, either as a JDBC URL with {@code user} and
 * {@code password} beside it, or in the {@code postgresql://user:password@host:port/db} form that managed services
 * print; set it from the environment ({@code DATABASE_URL}), never in the file. Every key of Dropwizard's data source
 * ({@code maxSize}, {@code maxWaitForConnection}, {@code properties}, ...) applies to the pool; the defaults here suit a
 * small server: a few connections, short waits, connections checked on borrow so that the site recovers by itself
 * after PostgreSQL restarts.
 */
public class DatabaseFactory extends DataSourceFactory {

    /** The {@code url} that selects the embedded default. */
    public static final String EMBEDDED = "embedded";

    @Valid
    @NotNull
    @JsonProperty
    private EmbeddedDatabaseFactory embedded = new EmbeddedDatabaseFactory();

    @JsonProperty
    private boolean migrateOnStart = true;

    public DatabaseFactory() {
        setDriverClass("org.postgresql.Driver");
        setUrl(EMBEDDED);
        setInitialSize(2);
        setMinSize(2);
        setMaxSize(16);
        setMaxWaitForConnection(Duration.seconds(2));
        setValidationQueryTimeout(Duration.seconds(2));
        setCheckConnectionOnBorrow(true);
        setValidationInterval(Duration.seconds(2));
        setProperties(Map.of("connectTimeout", "5", "ApplicationName", "athanor"));
    }

    public EmbeddedDatabaseFactory getEmbedded() {
        return embedded;
    }

    /** Whether the site applies pending migrations when it starts (the default) or refuses to start with them. */
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    /** True when the embedded server is used. */
    @JsonIgnore
    public boolean isEmbedded() {
        return EMBEDDED.equalsIgnoreCase(getUrl().strip());
    }

    @JsonIgnore
    @ValidationMethod(message = "database.url must be \"embedded\", jdbc:postgresql://HOST:PORT/DATABASE"
            + " or postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
    public boolean isUrlUsable() {
        if (isEmbedded()) {
            return true;
        }
        try {
            DatabaseUrl.parse(getUrl());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reaches the configured server, starting the embedded one if that is what is configured.
     *
     * @throws EmbeddedPostgresException when the embedded server cannot be started
     */
    public DatabaseServer start() throws EmbeddedPostgresException {
        if (isEmbedded()) {
            return embedded.build().acquire();
        }
        DatabaseUrl url = DatabaseUrl.parse(getUrl());
        String user = isSet(getUser()) ? getUser() : url.user().orElse(null);
        String password = isSet(getPassword()) ? getPassword() : url.password().orElse(null);
        return new DatabaseServer(url.jdbcUrl(), user, password, url.jdbcUrl(), () -> { });
    }

    /**
     * The site's connection pool to {@code server}, reporting its metrics under {@code name} (and the waits for a
     * connection as {@code dev.athanor.platform.db.SitePool.NAME.wait} and {@code .timeouts}); once stopped, it gives
     * no more connections.
     */
    public ManagedDataSource buildPool(MetricRegistry metrics, DatabaseServer server, String name) {
        ManagedPooledDataSource pool = (ManagedPooledDataSource) build(metrics, name);
        pool.setUrl(server.jdbcUrl());
        pool.setUsername(server.user());
        pool.setPassword(server.password() == null ? "" : server.password());
        return new SitePool(pool, metrics, MetricRegistry.name(SitePool.class, name), new PoolTimeouts(
                Clock.systemUTC()), getMaxSize(), getMaxWaitForConnection().toJavaDuration());
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
