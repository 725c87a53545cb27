package dev.athanor.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code billing} section: Stripe and the plans. Without a secret key subscriptions are off (the pricing page
 * says so) and only manual grants give access.
 *
 * <ul>
 *   <li>{@code secretKey}, {@code webhookSecret}: from {@code STRIPE_SECRET_KEY} and {@code STRIPE_WEBHOOK_SECRET}
 *       (the endpoint's signing secret, {@code whsec_...}).
 *   <li>{@code plans}: plan name to Stripe Price id ({@code monthly}, {@code yearly}); prices, currencies and
 *       intervals are read from Stripe, so the page and Checkout can never disagree with it.
 *   <li>{@code pastDueGrace}: how long a subscription whose payment failed keeps access (default 7 days).
 *   <li>{@code countryHeader}: the request header nginx (or the CDN) sets to the visitor's ISO country code; the
 *       only source of a country, never a form field or a query parameter.
 *   <li>{@code regions}: discount tiers: a name, a Stripe coupon id, and the country codes it applies to.
 *   <li>{@code webhookTolerance}: how old a signed webhook may be (default 5 minutes).
 *   <li>{@code stripeTimeout}: how long a call to Stripe may take before it is retried (default 30 seconds).
 * </ul>
 */
public class BillingFactory {

    @JsonProperty
    private String secretKey = "";

    @JsonProperty
    private String webhookSecret = "";

    @NotEmpty
    @JsonProperty
    private String apiBase = "https://api.stripe.com";

    @NotNull
    @JsonProperty
    private Map<String, String> plans = new LinkedHashMap<>();

    @NotNull
    @JsonProperty
    private Duration pastDueGrace = Duration.days(7);

    @NotEmpty
    @JsonProperty
    private String countryHeader = "X-Country-Code";

    @Valid
    @NotNull
    @JsonProperty
    private List<Tier> regions = new ArrayList<>();

    @NotNull
    @JsonProperty
    private Duration webhookTolerance = Duration.minutes(5);

    @NotNull
    @JsonProperty
    private Duration catalogueRefresh = Duration.minutes(15);

    @NotNull
    @JsonProperty
    private Duration stripeTimeout = Duration.seconds(30);

    /** A regional discount tier. */
    public static class Tier {
        @NotEmpty
        @JsonProperty
        private String name;

        @JsonProperty
        private String coupon = "";

        @NotNull
        @JsonProperty
        private List<String> countries = new ArrayList<>();

        public String getName() {
            return name;
        }

        public String getCoupon() {
            return coupon == null ? "" : coupon;
        }

        public boolean covers(String country) {
            return countries.stream().anyMatch(code -> code.strip().equalsIgnoreCase(country));
        }
    }

    /** Whether Stripe is set up (a secret key); without it there is nothing to subscribe to. */
    public boolean isConfigured() {
        return secretKey != null && !secretKey.isBlank();
    }

    public String getSecretKey() {
        return secretKey == null ? "" : secretKey;
    }

    /** The signing secret; empty (an empty YAML value reads as null) when none is set. */
    public String getWebhookSecret() {
        return webhookSecret == null ? "" : webhookSecret;
    }

    public String getApiBase() {
        return apiBase;
    }

    /**
     * The origins of Stripe's pages that the site sends browsers to after a form post (Checkout, the Customer
     * Portal), for the Content-Security-Policy's form-action: Stripe's own with Stripe's API, else the API's origin
     * (a test double that serves both).
     */
    public java.util.List<String> pageOrigins() {
        java.net.URI api = java.net.URI.create(apiBase);
        if ("api.stripe.com".equals(api.getHost())) {
            return java.util.List.of("https://checkout.stripe.com", "https://billing.stripe.com");
        }
        return java.util.List.of(api.getScheme() + "://" + api.getAuthority());
    }

    /** Plan name to Price id, for the plans that have one. */
    public Map<String, String> getPlans() {
        Map<String, String> set = new LinkedHashMap<>();
        plans.forEach((plan, price) -> {
            if (price != null && !price.isBlank()) {
                set.put(plan, price.strip());
            }
        });
        return set;
    }

    public java.time.Duration pastDueGrace() {
        return java.time.Duration.ofMillis(pastDueGrace.toMilliseconds());
    }

    public String getCountryHeader() {
        return countryHeader;
    }

    @io.dropwizard.validation.ValidationMethod(message = "billing.countryHeader must be a header name such as"
            + " X-Country-Code")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isCountryHeaderValid() {
        return countryHeader != null && countryHeader.matches("[A-Za-z0-9-]+");
    }

    /** The tier for {@code country} (with a coupon configured), if any. */
    public Optional<Tier> tierFor(String country) {
        if (country == null) {
            return Optional.empty();
        }
        String code = country.strip().toUpperCase(Locale.ROOT);
        return regions.stream().filter(tier -> !tier.getCoupon().isBlank())
                .filter(tier -> tier.covers(code)).findFirst();
    }

    public List<Tier> getRegions() {
        return regions;
    }

    public java.time.Duration webhookTolerance() {
        return java.time.Duration.ofMillis(webhookTolerance.toMilliseconds());
    }

    /** How long a call to Stripe may take to answer before it is tried again (with the same idempotency key). */
    public int stripeTimeoutMillis() {
        return (int) stripeTimeout.toMilliseconds();
    }

    public java.time.Duration catalogueRefresh() {
        return java.time.Duration.ofMillis(catalogueRefresh.toMilliseconds());
    }
}
