package dev.athanor.media;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code media.s3} keys: an S3-compatible bucket (DigitalOcean Spaces: endpoint
 * {@code https://REGION.digitaloceanspaces.com}, region {@code REGION}). Keys come from the environment.
 */
class S3Settings {

    @JsonProperty
    private String endpoint = "";

    @JsonProperty
    private String region = "us-east-1";

    @JsonProperty
    private String bucket = "";

    @JsonProperty
    private String prefix = "";

    @JsonProperty
    private boolean pathStyle = false;

    @JsonProperty
    private String cdnHost = "";

    @JsonProperty
    private String accessKey = "";

    @JsonProperty
    private String secretKey = "";

    public String getEndpoint() {
        return endpoint;
    }

    public String getRegion() {
        return region;
    }

    public String getBucket() {
        return bucket;
    }

    public String getPrefix() {
        return prefix;
    }

    public boolean isPathStyle() {
        return pathStyle;
    }

    /** The CDN's host name in front of the bucket (Spaces: BUCKET.REGION.cdn.digitaloceanspaces.com); empty: none. */
    public String getCdnHost() {
        return cdnHost == null ? "" : cdnHost.strip();
    }

    public String getAccessKey() {
        return accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }
}
