package dev.athanor.media;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code media} section: where video and image files live and how videos reach viewers.
 *
 * <ul>
 *   <li>{@code storage}: {@code local} (the default: files under {@code directory}) or {@code s3} (an S3-compatible
 *       bucket such as DigitalOcean Spaces, see {@code s3}).
 *   <li>{@code directory}: the local store, {@code ./data/media} by default ({@code /var/lib/athanor/media} on a
 *       server).
 *   <li>{@code delivery.accelRedirect}: behind nginx, let nginx send local files once the site has checked access
 *       ({@code X-Accel-Redirect} to {@code delivery.accelPrefix}, an {@code internal} nginx location).
 *   <li>{@code delivery.signedUrlSeconds}: how long a signed object-storage URL stays valid (default 300).
 *   <li>{@code s3.endpoint}, {@code s3.region}, {@code s3.bucket}, {@code s3.prefix}, {@code s3.pathStyle},
 *       {@code s3.accessKey}, {@code s3.secretKey}: the bucket, with the keys from the environment.
 *   <li>{@code s3.cdnHost}: a CDN in front of the bucket (the Spaces CDN:
 *       {@code BUCKET.REGION.cdn.digitaloceanspaces.com}, or a custom name pointed at it): signed video URLs name it instead of the bucket's host. Needs
 *       {@code pathStyle: false}, the only form such a CDN passes on with its signature intact.
 * </ul>
 */
public class MediaFactory {

    @NotNull
    @Pattern(regexp = "local|s3", message = "must be local or s3")
    @JsonProperty
    private String storage = "local";

    @NotEmpty
    @JsonProperty
    private String directory = "./data/media";

    @Valid
    @NotNull
    @JsonProperty
    private Delivery delivery = new Delivery();

    @Valid
    @NotNull
    @JsonProperty
    private S3Settings s3 = new S3Settings();

    /** The {@code media.delivery} keys. */
    public static class Delivery {
        @JsonProperty
        private boolean accelRedirect = false;

        @NotEmpty
        @Pattern(regexp = "/.*/", message = "must start and end with /")
        @JsonProperty
        private String accelPrefix = "/protected-media/";

        @Min(10)
        @JsonProperty
        private int signedUrlSeconds = 300;

        public boolean isAccelRedirect() {
            return accelRedirect;
        }

        public String getAccelPrefix() {
            return accelPrefix;
        }

        public int getSignedUrlSeconds() {
            return signedUrlSeconds;
        }
    }

    public Delivery getDelivery() {
        return delivery;
    }

    public Path getDirectory() {
        return Path.of(directory);
    }

    public String getStorage() {
        return storage;
    }

    /**
     * The origin signed video URLs point at when media is in a bucket (for the Content-Security-Policy's
     * media-src); none for local storage.
     */
    public java.util.List<String> deliveryOrigins() {
        if (!"s3".equals(storage)) {
            return java.util.List.of();
        }
        String endpoint = s3.getEndpoint() == null || s3.getEndpoint().isBlank()
                ? "https://s3." + s3.getRegion() + ".amazonaws.com" : s3.getEndpoint().strip();
        java.net.URI uri = java.net.URI.create(endpoint);
        String host = !s3.getCdnHost().isEmpty() ? s3.getCdnHost()
                : s3.isPathStyle() ? uri.getAuthority() : s3.getBucket() + "." + uri.getAuthority();
        return java.util.List.of(uri.getScheme() + "://" + host);
    }

    @JsonIgnore
    @ValidationMethod(message = "media.s3.cdnHost must be a host name (such as"
            + " media.fra1.cdn.digitaloceanspaces.com, no scheme or path) and needs media.s3.pathStyle: false")
    public boolean isCdnHostUsable() {
        String host = s3.getCdnHost();
        return host.isEmpty() || !s3.isPathStyle() && host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d+)?");
    }

    S3Settings getS3() {
        return s3;
    }

    /** The media context's facade over the configured store. */
    public Media build(Jdbi jdbi) {
        MediaStore store = "s3".equals(storage) ? new S3MediaStore(s3) : new LocalMediaStore(getDirectory());
        return new Media(store, jdbi, delivery);
    }
}
