package dev.athanor.platform.db;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.db.ManagedPooledDataSource;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>For a managed PostgreSQL: {@code caFile} names the server's CA certificate (PEM), and connections are then
 * verified in full (see {@link CaFile}). {@code directUrl}, when set, is the server's own address, and {@code url} is
 * a connection pooler in transaction mode in front of it (PgBouncer, a managed service's connection pool): only the
 * site's pool goes through the pooler, with {@code prepareThreshold=0} because such a pooler hands each transaction
 * to any server connection, where a prepared statement of the client's may not exist. Everything that needs its
 * session (migrations and their lock, LISTEN, the database health check, the scheduler, backups and every
 * {@code ops} command) connects directly: {@link #start()} is the direct server, {@link #pooler()} the pooled one.
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

    /** Empty when unset; {@code ${DATABASE_CA_FILE:-}} gives YAML's null, read as empty too. */
    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String caFile = "";

    @JsonProperty
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    private String directUrl = "";

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

    /** The CA certificate file the server's certificate is verified against, if one is configured. */
    @JsonIgnore
    public Optional<Path> getCaFile() {
        return CaFile.of(caFile).map(CaFile::path);
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile == null ? "" : caFile;
    }

    public void setDirectUrl(String directUrl) {
        this.directUrl = directUrl == null ? "" : directUrl;
    }

    /** True when {@code url} is a connection pooler and {@code directUrl} the server behind it. */
    @JsonIgnore
    public boolean isPooled() {
        return isSet(directUrl);
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

    @JsonIgnore
    @ValidationMethod(message = "database.directUrl must be empty, or the database server's own address"
            + " (jdbc:postgresql://HOST:PORT/DATABASE or postgresql://USER:PASSWORD@HOST:PORT/DATABASE) while"
            + " database.url is the connection pooler's; it cannot be used with the embedded database")
    public boolean isDirectUrlUsable() {
        if (!isPooled()) {
            return true;
        }
        try {
            DatabaseUrl.parse(directUrl.strip());
            return !isEmbedded();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "database.caFile must be empty or a readable PEM file: the CA certificate of the"
            + " database server, as the managed service offers it for download")
    public boolean isCaFileUsable() {
        return CaFile.of(caFile).flatMap(CaFile::problem).isEmpty();
    }

    @JsonIgnore
    @ValidationMethod(message = "database.caFile is set but the database URL allows an unencrypted connection"
            + " (sslmode=disable or allow): remove sslmode, or use sslmode=verify-full")
    public boolean isCaFileCompatible() {
        if (CaFile.of(caFile).isEmpty() || isEmbedded() || !isUrlUsable() || !isDirectUrlUsable()) {
            return true;
        }
        return CaFile.compatible(DatabaseUrl.parse(getUrl().strip()))
                && (!isPooled() || CaFile.compatible(DatabaseUrl.parse(directUrl.strip())));
    }

    /**
     * Reaches the configured server directly, starting the embedded one if that is what is configured: the
     * {@code directUrl} when a pooler is configured, else the {@code url}.
     *
     * @throws EmbeddedPostgresException when the embedded server cannot be started
     */
    public DatabaseServer start() throws EmbeddedPostgresException {
        if (isEmbedded()) {
            return embedded.build().acquire();
        }
        return server(DatabaseUrl.parse(isPooled() ? directUrl.strip() : getUrl().strip()), "the database");
    }

    /**
     * The connection pooler in transaction mode that the site's pool uses, when {@code directUrl} is set: the
     * {@code url}, with {@code prepareThreshold=0} unless the URL sets it. Closing it does nothing.
     */
    @JsonIgnore
    public Optional<DatabaseServer> pooler() {
        if (!isPooled()) {
            return Optional.empty();
        }
        DatabaseUrl url = DatabaseUrl.parse(getUrl().strip());
        if (url.parameter("prepareThreshold").isEmpty()) {
            url = url.withParameter("prepareThreshold", "0");
        }
        return Optional.of(server(url, "the connection pooler"));
    }

    private DatabaseServer server(DatabaseUrl parsed, String kind) {
        DatabaseUrl url = CaFile.of(caFile).map(ca -> ca.verifying(parsed)).orElse(parsed);
        String user = isSet(getUser()) ? getUser() : url.user().orElse(null);
        String password = isSet(getPassword()) ? getPassword() : url.password().orElse(null);
        return new DatabaseServer(url.jdbcUrl(), user, password,
                isPooled() ? url.jdbcUrl() + " (" + kind.replace("the ", "") + ")" : url.jdbcUrl(), kind, () -> { });
    }

    /**
     * The site's connection pool to {@code server} (or to the {@link #pooler()} in front of it), reporting its
     * metrics under {@code name} (and the waits for a
     * connection as {@code dev.athanor.platform.db.SitePool.NAME.wait} and {@code .timeouts}); once stopped, it gives
     * no more connections.
     */
    public ManagedDataSource buildPool(MetricRegistry metrics, DatabaseServer server, String name) {
        ManagedPooledDataSource pool = (ManagedPooledDataSource) build(metrics, name);
        DatabaseServer target = pooler().orElse(server);
        pool.setUrl(target.jdbcUrl());
        pool.setUsername(target.user());
        pool.setPassword(target.password() == null ? "" : target.password());
        return new SitePool(pool, metrics, MetricRegistry.name(SitePool.class, name), new PoolTimeouts(
                Clock.systemUTC()), getMaxSize(), getMaxWaitForConnection().toJavaDuration());
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
