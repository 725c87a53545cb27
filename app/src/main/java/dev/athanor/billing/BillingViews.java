package dev.athanor.billing;

import dev.athanor.platform.web.Layout;
import dev.athanor.platform.web.PageView;
import java.util.List;

/** The billing pages' views. */
final class BillingViews {

    private BillingViews() {
    }

    /** The plans, priced for this visitor, with the regional discount named when one applies. */
    static final class PricingPage extends PageView {
        public final boolean offered;
        public final List<Pricing.Quote> plans;
        public final boolean signedIn;
        public final boolean subscribed;
        public final String problem;

        PricingPage(Layout layout, boolean offered, List<Pricing.Quote> plans, boolean signedIn, boolean subscribed,
                String problem) {
            super("pricing.mustache", layout, "Subscribe", "Every course, every lesson: subscribe monthly or"
                    + " yearly.", "/subscribe", "website");
            this.offered = offered;
            this.plans = plans;
            this.signedIn = signedIn;
            this.subscribed = subscribed;
            this.problem = problem;
        }

        /** The regional discount that applies (the same for every plan), for the sentence above the plans. */
        public Pricing.Quote getRegional() {
            return plans.stream().filter(Pricing.Quote::isDiscounted).findFirst().orElse(null);
        }
    }

    /** The learner's subscription and grants, with the way to the Customer Portal. */
    static final class SubscriptionPage extends PageView {
        public final Billing.Status subscription;
        public final boolean entitled;
        public final String graceUntil;
        public final List<Billing.Member> grants;
        public final String notice;

        SubscriptionPage(Layout layout, Billing.Status subscription, boolean entitled, String graceUntil,
                List<Billing.Member> grants, String notice) {
            super("subscription.mustache", layout, "Your subscription");
            this.subscription = subscription;
            this.entitled = entitled;
            this.graceUntil = graceUntil;
            this.grants = grants;
            this.notice = notice;
        }
    }
}
