package dev.athanor.backup.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code backup.storage} keys: where backups are kept.
 *
 * <ul>
 *   <li>{@code type}: {@code directory} (the default: a local directory, for the embedded default and tests) or
 *       {@code s3} (any S3-compatible service).
 *   <li>{@code directory}: the local directory (default {@code ./data/backups}).
 *   <li>{@code endpoint}: the service's URL, such as {@code https://fra1.digitaloceanspaces.com}; empty for Amazon
 *       S3 itself.
 *   <li>{@code region}: the region to sign requests for ({@code us-east-1} suits Spaces and MinIO).
 *   <li>{@code bucket}, {@code prefix}: where the objects go; the prefix ends with {@code /} (default
 *       {@code athanor/}).
 *   <li>{@code pathStyle}: address the bucket in the path instead of the host name (MinIO, S3Proxy).
 *   <li>{@code accessKeyId}, {@code secretAccessKey}: from the environment only; when both are empty the SDK's
 *       default chain is used (AWS_ACCESS_KEY_ID, instance roles, ~/.aws).
 * </ul>
 */
public class BackupStorageFactory {

    /** The kinds of storage. */
    public enum Type { DIRECTORY, S3 }

    @NotNull
    @JsonProperty
    private String type = "directory";

    @JsonProperty
    private String directory = "./data/backups";

    @JsonProperty
    private String endpoint = "";

    @JsonProperty
    private String region = "us-east-1";

    @JsonProperty
    private String bucket = "";

    @JsonProperty
    private String prefix = "athanor/";

    @JsonProperty
    private boolean pathStyle;

    @JsonProperty
    private String accessKeyId = "";

    @JsonProperty
    private String secretAccessKey = "";

    @JsonIgnore
    public Type getType() {
        return Type.valueOf(isBlank(type) ? "DIRECTORY" : type.strip().toUpperCase(java.util.Locale.ROOT));
    }

    @JsonIgnore
    @ValidationMethod(message = "backup.storage.type must be directory or s3")
    public boolean isTypeKnown() {
        try {
            getType();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "backup.storage needs a bucket (ATHANOR_BACKUP_S3_BUCKET) when type is s3")
    public boolean isBucketGivenForS3() {
        return !isTypeKnown() || getType() != Type.S3 || !isBlank(bucket);
    }

    @JsonIgnore
    @ValidationMethod(message = "backup.storage.directory must not be empty when type is directory")
    public boolean isDirectoryGiven() {
        return !isTypeKnown() || getType() != Type.DIRECTORY || !isBlank(directory);
    }

    @JsonIgnore
    @ValidationMethod(message = "backup.storage.endpoint must be an http(s) URL such as"
            + " https://fra1.digitaloceanspaces.com")
    public boolean isEndpointValid() {
        if (isBlank(endpoint)) {
            return true;
        }
        try {
            URI uri = URI.create(endpoint.strip());
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "backup.storage.accessKeyId and secretAccessKey must be set together")
    public boolean isCredentialPairComplete() {
        return isBlank(accessKeyId) == isBlank(secretAccessKey);
    }

    public void setType(String type) {
        this.type = type;
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }

    public Path getDirectory() {
        return Path.of(directory);
    }

    /**
     * Opens the storage this describes.
     *
     * @param partSize bytes per multipart part
     * @param concurrency parts in flight at once
     * @param maxAttempts tries per request before the upload fails
     */
    public BackupStorage build(int partSize, int concurrency, int maxAttempts) {
        return build(partSize, concurrency, maxAttempts, S3Storage.Settings.UPLOAD_TIMEOUT);
    }

    /**
     * Opens the storage this describes, each request bounded by {@code requestTimeout} (for readers that must stay
     * quick, such as status pages).
     */
    public BackupStorage build(int partSize, int concurrency, int maxAttempts, java.time.Duration requestTimeout) {
        if (getType() == Type.DIRECTORY) {
            return new DirectoryStorage(getDirectory());
        }
        return new S3Storage(s3Settings(partSize, concurrency, maxAttempts, requestTimeout));
    }

    /** The S3 settings this describes (for {@code type: s3}), for tools other than Athanor's own client. */
    public S3Storage.Settings s3Settings(int partSize, int concurrency, int maxAttempts,
            java.time.Duration requestTimeout) {
        String normalizedPrefix = isBlank(prefix) ? ""
                : prefix.strip().replaceFirst("^/+", "").replaceFirst("/*$", "/");
        return new S3Storage.Settings(
                isBlank(endpoint) ? Optional.empty() : Optional.of(URI.create(endpoint.strip())),
                isBlank(region) ? "us-east-1" : region.strip(), bucket.strip(), normalizedPrefix, pathStyle,
                blankToEmpty(accessKeyId), blankToEmpty(secretAccessKey), partSize, concurrency, maxAttempts,
                requestTimeout);
    }

    private static Optional<String> blankToEmpty(String value) {
        return isBlank(value) ? Optional.empty() : Optional.of(value.strip());
    }

    /** An environment variable substituted as empty reaches us as null (YAML reads an empty value so). */
    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
