package dev.athanor.billing;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.stripe.exception.StripeException;
import com.stripe.model.Coupon;
import com.stripe.model.Price;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The one pricing function: what a plan costs a visitor from a country. The pricing page shows it and Checkout is
 * created from it (the same Price, with the same coupon), and both read the price and the coupon from Stripe, so the
 * amount on the page is the amount charged. Stripe's objects are kept for {@code billing.catalogueRefresh} and kept
 * past it while Stripe cannot be reached.
 */
final class Pricing {

    /** A plan's price for one visitor. */
    public record Quote(String plan, String priceId, String currency, String interval, long listAmount,
            long amount, Optional<String> tier, Optional<String> coupon, Optional<String> country,
            String discount) {

        public String getPlan() {
            return plan;
        }

        public String getName() {
            return plan.substring(0, 1).toUpperCase(Locale.ROOT) + plan.substring(1);
        }

        public String getPrice() {
            return Money.format(amount, currency);
        }

        public String getListPrice() {
            return Money.format(listAmount, currency);
        }

        public boolean isDiscounted() {
            return amount != listAmount;
        }

        public String getInterval() {
            return interval;
        }

        public String getDiscount() {
            return discount;
        }

        /** The visitor's country in words, when a regional price applies. */
        public String getCountryName() {
            return country.filter(code -> tier.isPresent())
                    .map(code -> new Locale("", code).getDisplayCountry(Locale.ENGLISH)).orElse(null);
        }
    }

    /** Stripe could not tell the price (and no earlier answer is kept). */
    public static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final BillingFactory settings;
    private final LoadingCache<String, Object> catalogue;

    Pricing(BillingFactory settings, StripeGateway stripe) {
        this.settings = settings;
        this.catalogue = Caffeine.newBuilder().refreshAfterWrite(settings.catalogueRefresh()).maximumSize(200)
                .build(key -> key.startsWith("price:") ? stripe.price(key.substring(6))
                        : stripe.coupon(key.substring(7)));
    }

    /** The plans on offer, in configured order. */
    public List<String> plans() {
        return new ArrayList<>(settings.getPlans().keySet());
    }

    /** What {@code plan} costs a visitor from {@code country} (an ISO code from the trusted header, if any). */
    public Quote quote(String plan, Optional<String> country) throws Unavailable {
        String priceId = settings.getPlans().get(plan);
        if (priceId == null) {
            throw new IllegalArgumentException("no plan " + plan);
        }
        Price price = (Price) load("price:" + priceId);
        long list = price.getUnitAmount();
        String currency = price.getCurrency();
        String interval = price.getRecurring() == null ? "once" : price.getRecurring().getInterval();
        Optional<BillingFactory.Tier> tier = country.flatMap(settings::tierFor);
        if (tier.isEmpty()) {
            return new Quote(plan, priceId, currency, interval, list, list, Optional.empty(), Optional.empty(),
                    country, "");
        }
        Coupon coupon = (Coupon) load("coupon:" + tier.get().getCoupon());
        long discount;
        String label;
        if (coupon.getPercentOff() != null) {
            discount = BigDecimal.valueOf(list).multiply(coupon.getPercentOff())
                    .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).longValueExact();
            label = coupon.getPercentOff().stripTrailingZeros().toPlainString() + "% off";
        } else if (coupon.getAmountOff() != null && currency.equalsIgnoreCase(coupon.getCurrency())) {
            discount = coupon.getAmountOff();
            label = Money.format(discount, currency) + " off";
        } else {
            discount = 0;
            label = "";
        }
        return new Quote(plan, priceId, currency, interval, list, Math.max(0, list - discount),
                Optional.of(tier.get().getName()), discount > 0 ? Optional.of(coupon.getId()) : Optional.empty(),
                country, label);
    }

    private Object load(String key) throws Unavailable {
        try {
            return catalogue.get(key);
        } catch (CompletionException | IllegalStateException e) {
            throw unavailable(key, e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof StripeException) {
                throw unavailable(key, e);
            }
            throw e;
        }
    }

    private static Unavailable unavailable(String key, Throwable e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new Unavailable("Stripe did not give " + key + ": " + cause.getMessage(), cause);
    }
}
