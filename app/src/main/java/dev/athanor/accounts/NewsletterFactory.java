package dev.athanor.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.Map;

/**
 * The {@code newsletter} section: ConvertKit (Kit) through its v3 HTTP API. With no {@code apiSecret} nothing is
 * synced (consent is still recorded, and synced once a key is set).
 *
 * <ul>
 *   <li>{@code apiKey}, {@code apiSecret}: from {@code CONVERTKIT_API_KEY} and {@code CONVERTKIT_API_SECRET}.
 *   <li>{@code formId}: the form new subscribers are added through.
 *   <li>{@code tags}: the tag id for each lifecycle stage ({@code subscribed}, {@code cancel-scheduled},
 *       {@code payment-failed}, {@code lapsed}); a stage without an id is not tagged.
 *   <li>{@code apiUrl}: {@code https://api.convertkit.com} (tests point it elsewhere).
 * </ul>
 */
public class NewsletterFactory {

    @JsonProperty
    private String apiKey = "";

    @JsonProperty
    private String apiSecret = "";

    @JsonProperty
    private String formId = "";

    @JsonProperty
    private Map<String, String> tags = Map.of();

    @JsonProperty
    private URI apiUrl = URI.create("https://api.convertkit.com");

    public boolean isConfigured() {
        return !getApiSecret().isBlank() && !getApiKey().isBlank() && !getFormId().isBlank();
    }

    // An empty YAML value (an unset variable) reads as null.
    public String getApiKey() {
        return apiKey == null ? "" : apiKey;
    }

    public String getApiSecret() {
        return apiSecret == null ? "" : apiSecret;
    }

    public String getFormId() {
        return formId == null ? "" : formId;
    }

    /** The configured tag ids by lifecycle stage (stages left empty are not tagged). */
    public Map<String, String> getTags() {
        Map<String, String> set = new java.util.TreeMap<>();
        (tags == null ? Map.<String, String>of() : tags).forEach((stage, id) -> {
            if (id != null && !id.isBlank()) {
                set.put(stage, id.strip());
            }
        });
        return set;
    }

    public URI getApiUrl() {
        return apiUrl;
    }
}
