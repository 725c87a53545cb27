package dev.athanor.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-process fake of the slice of Stripe's HTTP API that billing calls (customers, prices, coupons, Checkout,
 * the billing portal, subscriptions, invoices, charges, events), with the hosted checkout and portal pages a
 * browser clicks through, signed webhook delivery, idempotency keys, and switches for outages and slow answers.
 * Point stripe-java at {@link #url()}. All state lives in memory and is guarded by this object's lock; webhooks
 * are sent outside the lock, so a receiver may call back into the fake.
 */
public final class FakeStripe implements AutoCloseable {

    private static final String API_VERSION = "2026-05-27.dahlia";
    private static final Pattern BRACKET = Pattern.compile("\\[([^]]*)]");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final List<String> LIVE_STATUSES = List.of("active", "trialing", "past_due");
    /** GET /v1/{collection}/{id} answers with the object of this type. */
    private static final Map<String, String> RETRIEVABLE = Map.of(
            "customers", "customer",
            "checkout/sessions", "checkout.session",
            "subscriptions", "subscription",
            "invoices", "invoice",
            "charges", "charge",
            "prices", "price",
            "coupons", "coupon");

    private final ObjectMapper mapper = new ObjectMapper();
    private final String secretKey;
    private final ExecutorService threads;
    private final HttpServer server;
    private final String url;

    private final Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
    private final Map<String, CheckoutPlan> plans = new HashMap<>();
    private final Map<String, Stored> idempotency = new HashMap<>();
    private final Map<String, Integer> creations = new HashMap<>();
    private final List<String> postPaths = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Delay> delays = new ArrayList<>();
    private final List<StoredEvent> events = new ArrayList<>();
    /** Events emitted by the change in progress that are to be sent once it is done. */
    private final List<StoredEvent> outbox = new ArrayList<>();
    private long lastId;
    private volatile Endpoint endpoint;
    private volatile boolean paused;

    /** Starts the fake on a free port of 127.0.0.1; API requests must carry {@code secretKey}. */
    public FakeStripe(String secretKey) {
        this.secretKey = secretKey;
        this.threads = Executors.newCachedThreadPool(daemonThreads());
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePort.find()), 0);
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The API base for stripe-java, and the origin of the hosted pages. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- Test control ----

    /** How many POSTs whose path starts with {@code pathPrefix} arrived, whatever was answered. */
    public synchronized int posts(String pathPrefix) {
        return (int) postPaths.stream().filter(path -> path.startsWith(pathPrefix)).count();
    }

    /** How many objects of {@code objectType} ("customer", "checkout.session", ...) were created. */
    public synchronized int created(String objectType) {
        return creations.getOrDefault(objectType, 0);
    }

    /** The next request whose path starts with {@code pathPrefix} is processed, but answered after {@code delay}. */
    public synchronized void delayNext(String pathPrefix, Duration delay) {
        delays.add(new Delay(pathPrefix, delay));
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} answer 500 unprocessed. */
    public synchronized void failNext(String pathPrefix, int times) {
        failures.addAll(Collections.nCopies(times, pathPrefix));
    }

    // ---- Catalogue ----

    public synchronized void price(String id, long unitAmount, String currency, String interval, String productName) {
        Map<String, Object> price = base("price", id);
        price.put("active", true);
        price.put("currency", currency.toLowerCase());
        price.put("unit_amount", unitAmount);
        price.put("recurring", Map.of("interval", interval, "interval_count", 1));
        price.put("product", nextId("prod"));
        price.put("nickname", productName);
        price.put("type", "recurring");
        store(price);
    }

    public synchronized void percentCoupon(String id, BigDecimal percentOff) {
        Map<String, Object> coupon = coupon(id);
        coupon.put("percent_off", percentOff);
        coupon.put("currency", null);
    }

    public synchronized void amountCoupon(String id, long amountOff, String currency) {
        Map<String, Object> coupon = coupon(id);
        coupon.put("amount_off", amountOff);
        coupon.put("currency", currency.toLowerCase());
    }

    // ---- Webhooks ----

    /** Sends every event emitted from now on to {@code endpointUrl}, signed with {@code signingSecret}. */
    public void webhooks(String endpointUrl, String signingSecret) {
        endpoint = new Endpoint(endpointUrl, signingSecret);
    }

    /** Events emitted while paused are stored as undelivered and not sent. */
    public void pauseDeliveries() {
        paused = true;
    }

    /** Sends events emitted from now on again; the backlog waits for {@link #redeliver()}. */
    public void resumeDeliveries() {
        paused = false;
    }

    /** Sends every undelivered event again, oldest first; returns how many the endpoint accepted with a 2xx. */
    public int redeliver() {
        List<StoredEvent> undelivered;
        synchronized (this) {
            undelivered = events.stream().filter(event -> !event.delivered).toList();
        }
        return (int) undelivered.stream().filter(this::send).count();
    }

    /** The Stripe-Signature header value for {@code body} signed at {@code timestamp} (unix seconds). */
    public static String signature(byte[] body, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's body exactly as it was (or would have been) sent. */
    public synchronized String eventJson(String eventId) {
        return storedEvent(eventId).json;
    }

    /** The ids of the events of {@code type}, oldest first. */
    public synchronized List<String> eventIds(String type) {
        return events.stream().filter(event -> event.type.equals(type)).map(event -> event.id).toList();
    }

    // ---- Reading state ----

    /** The customer's newest subscription, or null if it has none. */
    public synchronized String subscriptionOf(String customerId) {
        return newest("subscription", customerId).map(FakeStripe::id).orElse(null);
    }

    public synchronized String customerOfSession(String sessionId) {
        return (String) find("checkout.session", sessionId).get("customer");
    }

    /** A copy of the subscription as the API would return it. */
    public synchronized Map<String, Object> subscription(String id) {
        return copy(find("subscription", id));
    }

    // ---- Changes a test makes happen; each emits its events and delivers them ----

    public void updateStatus(String subscriptionId, String status) {
        atomically(() -> {
            Map<String, Object> subscription = find("subscription", subscriptionId);
            subscription.put("status", status);
            return newEvent("customer.subscription.updated", subscription);
        });
    }

    public void scheduleCancel(String subscriptionId) {
        atomically(() -> scheduleCancellation(find("subscription", subscriptionId)));
    }

    public void delete(String subscriptionId) {
        atomically(() -> cancelNow(find("subscription", subscriptionId)));
    }

    /** A renewal whose payment failed: an open invoice, the subscription past_due. Returns the invoice id. */
    public String failPayment(String subscriptionId) {
        return atomically(() -> {
            Map<String, Object> subscription = find("subscription", subscriptionId);
            Map<String, Object> invoice = renewalInvoice(subscription, "open");
            subscription.put("status", "past_due");
            newEvent("invoice.payment_failed", invoice);
            newEvent("customer.subscription.updated", subscription);
            return id(invoice);
        });
    }

    /** A renewal that needs the customer to authenticate: an open invoice. Returns the invoice id. */
    public String requireAction(String subscriptionId) {
        return atomically(() -> {
            Map<String, Object> invoice = renewalInvoice(find("subscription", subscriptionId), "open");
            newEvent("invoice.payment_action_required", invoice);
            return id(invoice);
        });
    }

    /** A paid renewal: a paid invoice and charge, the subscription active in its next period. Returns the invoice. */
    public String payInvoice(String subscriptionId) {
        return atomically(() -> {
            Map<String, Object> subscription = find("subscription", subscriptionId);
            Map<String, Object> invoice = renewalInvoice(subscription, "paid");
            setPeriod(subscription, nextPeriod(subscription));
            subscription.put("status", "active");
            newEvent("invoice.paid", invoice);
            newEvent("customer.subscription.updated", subscription);
            return id(invoice);
        });
    }

    /** Refunds the customer's newest charge in full; returns its id. */
    public String refundLatestCharge(String customerId) {
        return atomically(() -> {
            Map<String, Object> charge = newest("charge", customerId)
                    .orElseThrow(() -> new IllegalArgumentException("No charge for " + customerId));
            charge.put("refunded", true);
            charge.put("amount_refunded", charge.get("amount"));
            newEvent("charge.refunded", charge);
            return id(charge);
        });
    }

    /** Emits an event of {@code type} about {@code object}; returns the event id. */
    public String emit(String type, Map<String, Object> object) {
        return atomically(() -> newEvent(type, object));
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) {
        try {
            Response response;
            try {
                response = respond(read(exchange));
            } catch (RuntimeException e) {
                response = error(500, "api_error", null, null, "Fake Stripe failed: " + e);
            }
            send(exchange, response);
        } catch (IOException e) {
            // the client went away, e.g. it stopped waiting for a delayed answer
        } finally {
            exchange.close();
        }
    }

    private Response respond(Request request) {
        if (request.method().equals("POST")) {
            recordPost(request.path());
        }
        boolean api = request.path().startsWith("/v1/");
        if (api && !request.hasBearer(secretKey)) {
            return error(401, "invalid_request_error", null, null, "Invalid API Key provided.");
        }
        if (takeFailure(request.path())) {
            return error(500, "api_error", null, null, "fake outage");
        }
        Duration delay = takeDelay(request.path());
        Response response = api ? apiResponse(request) : pageResponse(request);
        hold(delay);
        return response;
    }

    private Response apiResponse(Request request) {
        String key = request.header("Idempotency-Key");
        boolean replayable = request.method().equals("POST") && key != null;
        return atomically(() -> replayable ? idempotent(key, request) : apiCall(request));
    }

    /** Under the lock: the stored answer to an earlier request with this key, or the answer stored now. */
    private Response idempotent(String key, Request request) {
        String fingerprint = request.path() + "?" + request.body();
        Stored earlier = idempotency.get(key);
        if (earlier == null) {
            Response response = apiCall(request);
            idempotency.put(key, new Stored(fingerprint, response));
            return response;
        }
        if (!earlier.fingerprint().equals(fingerprint)) {
            return error(400, "idempotency_error", null, null, "Keys for idempotent requests can only"
                    + " be used with the same parameters they were first used with. Try using a key other than '"
                    + key + "' if you meant to execute a different request.");
        }
        return earlier.response().withHeader("Idempotent-Replayed", "true");
    }

    private Response apiCall(Request request) {
        try {
            return route(request);
        } catch (ApiError e) {
            return error(e.status, e.type, e.code, e.param, e.getMessage());
        }
    }

    private Response route(Request request) {
        Map<String, Object> params = request.params();
        Object result = switch (request.method() + " " + request.path()) {
            case "POST /v1/customers" -> newCustomer(string(params, "email"), metadata(params));
            case "POST /v1/checkout/sessions" -> newCheckoutSession(params);
            case "POST /v1/billing_portal/sessions" -> newPortalSession(params);
            case "GET /v1/events" -> eventList(params);
            default -> byId(request);
        };
        return Response.json(200, write(result instanceof Map<?, ?> object ? expanded(asMap(object), params) : result));
    }

    private Object byId(Request request) {
        String path = request.path();
        int slash = path.lastIndexOf('/');
        String collection = path.substring("/v1/".length(), Math.max(slash, "/v1/".length()));
        String id = path.substring(slash + 1);
        String type = RETRIEVABLE.get(collection);
        if (request.method().equals("DELETE") && collection.equals("subscriptions")) {
            return cancelNow(find("subscription", id));
        }
        if (request.method().equals("GET") && collection.equals("events")) {
            return readTree(storedEvent(id).json);
        }
        if (request.method().equals("GET") && type != null) {
            return find(type, id);
        }
        throw new ApiError(404, "invalid_request_error", null, null,
                "Unrecognized request URL (" + request.method() + ": " + path + ").");
    }

    private Response pageResponse(Request request) {
        String[] parts = request.path().substring(1).split("/");
        if (parts.length < 2 || parts.length > 3) {
            return Response.text(404, "Not found");
        }
        String page = request.method() + " " + parts[0] + (parts.length == 3 ? "/" + parts[2] : "");
        String id = parts[1];
        try {
            return atomically(() -> switch (page) {
                case "GET checkout" -> checkoutPage(find("checkout.session", id));
                case "POST checkout/pay" -> pay(find("checkout.session", id));
                case "GET portal" -> portalPage(find("billing_portal.session", id));
                case "POST portal/cancel" -> portalCancel(find("billing_portal.session", id));
                default -> Response.text(404, "Not found");
            });
        } catch (ApiError e) {
            return Response.text(404, e.getMessage());
        }
    }

    private static Request read(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
        String form = method.equals("POST") ? body : exchange.getRequestURI().getRawQuery();
        return new Request(method, exchange.getRequestURI().getPath(), body, parseForm(form),
                exchange.getRequestHeaders());
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    private synchronized void recordPost(String path) {
        postPaths.add(path);
    }

    private synchronized boolean takeFailure(String path) {
        return failures.stream().filter(path::startsWith).findFirst().map(failures::remove).orElse(false);
    }

    private synchronized Duration takeDelay(String path) {
        Optional<Delay> delay = delays.stream().filter(next -> path.startsWith(next.pathPrefix())).findFirst();
        delay.ifPresent(delays::remove);
        return delay.map(Delay::duration).orElse(Duration.ZERO);
    }

    private static void hold(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code change} under the lock, then sends the events it emitted (outside the lock). */
    private <T> T atomically(Supplier<T> change) {
        T result;
        List<StoredEvent> emitted;
        synchronized (this) {
            outbox.clear();
            result = change.get();
            emitted = List.copyOf(outbox);
        }
        emitted.forEach(this::send);
        return result;
    }

    // ---- API operations (called under the lock) ----

    private Map<String, Object> newCustomer(String email, Map<String, Object> metadata) {
        Map<String, Object> customer = newObject("customer", "cus");
        customer.put("email", email);
        customer.put("metadata", metadata);
        return customer;
    }

    private Map<String, Object> newCheckoutSession(Map<String, Object> params) {
        CheckoutPlan plan = checkoutPlan(params);
        String customerId = string(params, "customer");
        if (customerId != null) {
            findParam("customer", customerId, "customer");
        }
        long subtotal = number(plan.price().get("unit_amount")) * plan.quantity();
        Map<String, Object> session = newObject("checkout.session", "cs_test");
        session.put("mode", "subscription");
        session.put("status", "open");
        session.put("payment_status", "unpaid");
        session.put("url", url + "/checkout/" + id(session));
        session.put("customer", customerId);
        session.put("customer_email", string(params, "customer_email"));
        session.put("client_reference_id", string(params, "client_reference_id"));
        session.put("metadata", metadata(params));
        session.put("subscription", null);
        session.put("invoice", null);
        session.put("amount_subtotal", subtotal);
        session.put("amount_total", total(subtotal, plan.coupon()));
        session.put("currency", plan.price().get("currency"));
        session.put("discounts", plan.coupon() == null ? List.of() : List.of(Map.of("coupon", id(plan.coupon()))));
        session.put("success_url", string(params, "success_url"));
        session.put("cancel_url", string(params, "cancel_url"));
        plans.put(id(session), plan);
        return session;
    }

    private CheckoutPlan checkoutPlan(Map<String, Object> params) {
        if (!"subscription".equals(required(params, "mode", "mode"))) {
            throw ApiError.invalid("mode", "This fake supports only mode=subscription.");
        }
        required(params, "success_url", "success_url");
        Map<String, Object> lineItem = asMap(first(params.get("line_items")));
        Map<String, Object> price = findParam("price", required(lineItem, "price", "line_items[0][price]"),
                "line_items[0][price]");
        String quantity = string(lineItem, "quantity");
        String couponId = string(asMap(first(params.get("discounts"))), "coupon");
        Map<String, Object> coupon = couponId == null ? null : findParam("coupon", couponId, "discounts[0][coupon]");
        return new CheckoutPlan(price, quantity == null ? 1 : Long.parseLong(quantity), coupon,
                metadata(asMap(params.get("subscription_data"))));
    }

    private Map<String, Object> newPortalSession(Map<String, Object> params) {
        String customerId = required(params, "customer", "customer");
        findParam("customer", customerId, "customer");
        Map<String, Object> session = newObject("billing_portal.session", "bps");
        session.put("customer", customerId);
        session.put("return_url", string(params, "return_url"));
        session.put("url", url + "/portal/" + id(session));
        return session;
    }

    private Map<String, Object> cancelNow(Map<String, Object> subscription) {
        if (!"canceled".equals(subscription.get("status"))) {
            long now = now();
            subscription.put("status", "canceled");
            subscription.put("canceled_at", now);
            subscription.put("ended_at", now);
            newEvent("customer.subscription.deleted", subscription);
        }
        return subscription;
    }

    private String scheduleCancellation(Map<String, Object> subscription) {
        subscription.put("cancel_at_period_end", true);
        subscription.put("cancel_at", currentItem(subscription).get("current_period_end"));
        subscription.put("canceled_at", now());
        return newEvent("customer.subscription.updated", subscription);
    }

    /** Events newest first, filtered and paged the way GET /v1/events does. */
    private Map<String, Object> eventList(Map<String, Object> params) {
        List<StoredEvent> newestFirst = new ArrayList<>(events);
        Collections.reverse(newestFirst);
        String startingAfter = string(params, "starting_after");
        if (startingAfter != null) {
            newestFirst = newestFirst.subList(newestFirst.indexOf(storedEvent(startingAfter)) + 1, newestFirst.size());
        }
        String deliverySuccess = string(params, "delivery_success");
        List<StoredEvent> matching = newestFirst.stream()
                .filter(event -> deliverySuccess == null || event.delivered == Boolean.parseBoolean(deliverySuccess))
                .filter(event -> createdMatches(event.created, params.get("created")))
                .toList();
        String limitParam = string(params, "limit");
        int limit = Math.max(1, Math.min(100, limitParam == null ? 10 : Integer.parseInt(limitParam)));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("url", "/v1/events");
        list.put("has_more", matching.size() > limit);
        list.put("data", matching.stream().limit(limit).map(this::listed).toList());
        return list;
    }

    /** A listed event shows whether it is still waiting for its webhook. */
    private ObjectNode listed(StoredEvent event) {
        ObjectNode node = readTree(event.json);
        node.put("pending_webhooks", event.delivered || endpoint == null ? 0 : 1);
        return node;
    }

    private static boolean createdMatches(long created, Object filter) {
        if (filter == null) {
            return true;
        }
        if (filter instanceof String exact) {
            return created == Long.parseLong(exact);
        }
        return asMap(filter).entrySet().stream().allMatch(bound -> {
            long value = Long.parseLong((String) bound.getValue());
            return switch (bound.getKey()) {
                case "gt" -> created > value;
                case "gte" -> created >= value;
                case "lt" -> created < value;
                case "lte" -> created <= value;
                default -> throw ApiError.invalid("created[" + bound.getKey() + "]", "Invalid created filter.");
            };
        });
    }

    /** The object with each {@code expand[]} path (a.b.c) that names an id replaced by that object. */
    private Map<String, Object> expanded(Map<String, Object> object, Map<String, Object> params) {
        Map<String, Object> result = copy(object);
        for (Object path : asList(params.get("expand"))) {
            Map<String, Object> current = result;
            for (String field : ((String) path).split("\\.")) {
                Object value = current.get(field);
                if (value instanceof String id && objects.containsKey(id)) {
                    value = copy(objects.get(id));
                    current.put(field, value);
                }
                if (!(value instanceof Map<?, ?> nested)) {
                    break;
                }
                current = asMap(nested);
            }
        }
        return result;
    }

    // ---- Hosted pages (called under the lock) ----

    private Response checkoutPage(Map<String, Object> session) {
        String id = id(session);
        String amount = BigDecimal.valueOf(number(session.get("amount_total")), 2).toPlainString();
        return Response.html("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Checkout</title></head><body>
                <h1>%s</h1>
                <p><span id="amount-total">%s</span> <span id="currency">%s</span></p>
                <form method="post" action="/checkout/%s/pay"><button id="pay" type="submit">Subscribe</button></form>
                </body></html>
                """.formatted(escape((String) plans.get(id).price().get("nickname")), amount,
                ((String) session.get("currency")).toUpperCase(), escape(id)));
    }

    private Response pay(Map<String, Object> session) {
        if (!"open".equals(session.get("status"))) {
            return Response.text(409, "This checkout session is already complete.");
        }
        CheckoutPlan plan = plans.get(id(session));
        String customerId = (String) session.get("customer");
        if (customerId == null) {
            customerId = id(newCustomer((String) session.get("customer_email"), new LinkedHashMap<>()));
        }
        Map<String, Object> subscription = newSubscription(customerId, plan);
        Map<String, Object> invoice = newInvoice(subscription, currentPeriod(subscription),
                number(session.get("amount_total")), "paid", "subscription_create");
        session.put("status", "complete");
        session.put("payment_status", "paid");
        session.put("customer", customerId);
        session.put("subscription", id(subscription));
        session.put("invoice", id(invoice));
        newEvent("checkout.session.completed", session);
        newEvent("customer.subscription.created", subscription);
        newEvent("invoice.paid", invoice);
        return Response.redirect(((String) session.get("success_url")).replace("{CHECKOUT_SESSION_ID}", id(session)));
    }

    private Response portalPage(Map<String, Object> portal) {
        return Response.html("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Billing</title></head><body>
                <form method="post" action="/portal/%s/cancel"><button id="cancel-plan">Cancel plan</button></form>
                </body></html>
                """.formatted(escape(id(portal))));
    }

    private Response portalCancel(Map<String, Object> portal) {
        Map<String, Object> subscription = objects.values().stream()
                .filter(object -> "subscription".equals(object.get("object")))
                .filter(object -> portal.get("customer").equals(object.get("customer")))
                .filter(object -> LIVE_STATUSES.contains(object.get("status")))
                .reduce((older, newer) -> newer)
                .orElse(null);
        if (subscription == null) {
            return Response.text(409, "This customer has no active subscription.");
        }
        scheduleCancellation(subscription);
        return Response.redirect((String) portal.get("return_url"));
    }

    // ---- Billing objects (called under the lock) ----

    private Map<String, Object> newSubscription(String customerId, CheckoutPlan plan) {
        Map<String, Object> subscription = newObject("subscription", "sub");
        long start = number(subscription.get("created"));
        Map<String, Object> item = base("subscription_item", nextId("si"));
        item.put("price", copy(plan.price()));
        item.put("quantity", plan.quantity());
        item.put("subscription", id(subscription));
        item.put("metadata", Map.of());
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("object", "list");
        items.put("data", List.of(item));
        items.put("has_more", false);
        items.put("url", "/v1/subscription_items?subscription=" + id(subscription));
        subscription.put("customer", customerId);
        subscription.put("status", "active");
        subscription.put("cancel_at_period_end", false);
        subscription.put("cancel_at", null);
        subscription.put("canceled_at", null);
        subscription.put("ended_at", null);
        subscription.put("start_date", start);
        subscription.put("currency", plan.price().get("currency"));
        subscription.put("metadata", plan.subscriptionMetadata());
        subscription.put("items", items);
        subscription.put("discounts", List.of());
        subscription.put("latest_invoice", null);
        setPeriod(subscription, new Period(start, plusInterval(start, subscription)));
        return subscription;
    }

    /** An invoice for the subscription's next period, for what its latest invoice was for. */
    private Map<String, Object> renewalInvoice(Map<String, Object> subscription, String status) {
        long amount = number(find("invoice", (String) subscription.get("latest_invoice")).get("amount_due"));
        return newInvoice(subscription, nextPeriod(subscription), amount, status, "subscription_cycle");
    }

    /** A paid invoice also gets its charge (none for nothing). The subscription's latest invoice becomes this. */
    private Map<String, Object> newInvoice(Map<String, Object> subscription, Period period, long amount,
            String status, String billingReason) {
        boolean paid = status.equals("paid");
        Map<String, Object> invoice = newObject("invoice", "in");
        invoice.put("customer", subscription.get("customer"));
        invoice.put("status", status);
        invoice.put("attempted", true);
        invoice.put("amount_due", amount);
        invoice.put("amount_paid", paid ? amount : 0L);
        invoice.put("amount_remaining", paid ? 0L : amount);
        invoice.put("currency", subscription.get("currency"));
        invoice.put("hosted_invoice_url", url + "/invoice/" + id(invoice));
        invoice.put("billing_reason", billingReason);
        invoice.put("parent", Map.of("type", "subscription_details",
                "subscription_details", Map.of("subscription", id(subscription),
                        "metadata", new LinkedHashMap<>(asMap(subscription.get("metadata"))))));
        invoice.put("period_start", period.start());
        invoice.put("period_end", period.end());
        subscription.put("latest_invoice", id(invoice));
        if (paid && amount > 0) {
            newCharge(invoice);
        }
        return invoice;
    }

    private void newCharge(Map<String, Object> invoice) {
        Map<String, Object> charge = newObject("charge", "ch");
        charge.put("customer", invoice.get("customer"));
        charge.put("amount", invoice.get("amount_paid"));
        charge.put("amount_refunded", 0L);
        charge.put("refunded", false);
        charge.put("currency", invoice.get("currency"));
        charge.put("paid", true);
        charge.put("status", "succeeded");
    }

    private Map<String, Object> coupon(String id) {
        Map<String, Object> coupon = base("coupon", id);
        coupon.put("duration", "forever");
        coupon.put("valid", true);
        return store(coupon);
    }

    // ---- Periods and amounts ----

    private record Period(long start, long end) {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> currentItem(Map<String, Object> subscription) {
        return (Map<String, Object>) asList(asMap(subscription.get("items")).get("data")).get(0);
    }

    private static Period currentPeriod(Map<String, Object> subscription) {
        Map<String, Object> item = currentItem(subscription);
        return new Period(number(item.get("current_period_start")), number(item.get("current_period_end")));
    }

    private static Period nextPeriod(Map<String, Object> subscription) {
        long start = currentPeriod(subscription).end();
        return new Period(start, plusInterval(start, subscription));
    }

    private static void setPeriod(Map<String, Object> subscription, Period period) {
        Map<String, Object> item = currentItem(subscription);
        item.put("current_period_start", period.start());
        item.put("current_period_end", period.end());
    }

    private static long plusInterval(long epochSecond, Map<String, Object> subscription) {
        String interval = (String) asMap(asMap(currentItem(subscription).get("price")).get("recurring")).get("interval");
        ZonedDateTime start = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
        ZonedDateTime end = switch (interval) {
            case "day" -> start.plusDays(1);
            case "week" -> start.plusWeeks(1);
            case "month" -> start.plusMonths(1);
            case "year" -> start.plusYears(1);
            default -> throw new IllegalArgumentException("Unknown interval " + interval);
        };
        return end.toEpochSecond();
    }

    /** The amount after the coupon: a percentage rounds half up to a whole minor unit; never below zero. */
    private static long total(long amount, Map<String, Object> coupon) {
        if (coupon == null) {
            return amount;
        }
        long discount = coupon.get("percent_off") instanceof BigDecimal percentOff
                ? percentOff.multiply(BigDecimal.valueOf(amount)).divide(HUNDRED, 0, RoundingMode.HALF_UP).longValue()
                : number(coupon.get("amount_off"));
        return Math.max(0, amount - discount);
    }

    // ---- Objects and events (called under the lock) ----

    private String nextId(String prefix) {
        return prefix + "_" + ++lastId;
    }

    private static Map<String, Object> base(String objectType, String id) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", id);
        object.put("object", objectType);
        object.put("livemode", false);
        object.put("created", now());
        return object;
    }

    private Map<String, Object> newObject(String objectType, String idPrefix) {
        return store(base(objectType, nextId(idPrefix)));
    }

    private Map<String, Object> store(Map<String, Object> object) {
        objects.put(id(object), object);
        creations.merge((String) object.get("object"), 1, Integer::sum);
        return object;
    }

    private Map<String, Object> find(String objectType, String id) {
        Map<String, Object> object = objects.get(id);
        if (object == null || !objectType.equals(object.get("object"))) {
            throw new ApiError(404, "invalid_request_error", "resource_missing", "id",
                    "No such " + objectType + ": '" + id + "'");
        }
        return object;
    }

    /** An object named by a request parameter; a missing one is the request's fault (400). */
    private Map<String, Object> findParam(String objectType, String id, String param) {
        Map<String, Object> object = objects.get(id);
        if (object == null || !objectType.equals(object.get("object"))) {
            throw new ApiError(400, "invalid_request_error", "resource_missing", param,
                    "No such " + objectType + ": '" + id + "'");
        }
        return object;
    }

    /** The customer's newest object of {@code objectType}. */
    private Optional<Map<String, Object>> newest(String objectType, String customerId) {
        return objects.values().stream()
                .filter(object -> objectType.equals(object.get("object")))
                .filter(object -> customerId.equals(object.get("customer")))
                .reduce((older, newer) -> newer);
    }

    /** Stores an event with a snapshot of {@code object}, and queues it for sending unless deliveries are paused. */
    private String newEvent(String type, Map<String, Object> object) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", null);
        request.put("idempotency_key", null);
        Map<String, Object> event = base("event", nextId("evt"));
        event.put("api_version", API_VERSION);
        event.put("type", type);
        event.put("pending_webhooks", endpoint == null ? 0 : 1);
        event.put("request", request);
        event.put("data", Map.of("object", object));
        StoredEvent stored = new StoredEvent(id(event), type, number(event.get("created")), write(event));
        events.add(stored);
        if (endpoint != null && !paused) {
            outbox.add(stored);
        }
        return stored.id;
    }

    private StoredEvent storedEvent(String id) {
        return events.stream().filter(event -> event.id.equals(id)).findFirst()
                .orElseThrow(() -> new ApiError(404, "invalid_request_error", "resource_missing", "id",
                        "No such event: '" + id + "'"));
    }

    /** Posts the event to the endpoint, signed; a 2xx marks it delivered. */
    private boolean send(StoredEvent event) {
        Endpoint target = endpoint;
        if (target == null) {
            return false;
        }
        boolean accepted = post(target, event.json.getBytes(UTF_8)) / 100 == 2;
        if (accepted) {
            synchronized (this) {
                event.delivered = true;
            }
        }
        return accepted;
    }

    /** The endpoint's answer status, or -1 if it could not be reached. */
    private static int post(Endpoint target, byte[] body) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(target.url()).toURL().openConnection();
            try {
                connection.setConnectTimeout(5_000);
                connection.setReadTimeout(10_000);
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setRequestProperty("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
                connection.setRequestProperty("Stripe-Signature", signature(body, target.secret(), now()));
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- JSON and form helpers ----

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode readTree(String text) {
        try {
            return (ObjectNode) mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> copy(Map<String, Object> object) {
        try {
            return mapper.readValue(write(object), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stripe's error JSON: {"error":{"type", "code", "param", "message"}}, without the absent ones. */
    private Response error(int status, String type, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        if (param != null) {
            error.put("param", param);
        }
        error.put("message", message);
        return Response.json(status, write(Map.of("error", error)));
    }

    /**
     * Parses Stripe's form encoding, where keys nest with brackets (a[b][0][c]=v), into maps; a map whose keys are
     * all indexes (0, 1, ... or empty brackets) becomes a list, except metadata, whose keys are the caller's.
     */
    static Map<String, Object> parseForm(String encoded) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return root;
        }
        for (String pair : encoded.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), UTF_8);
                put(root, keyPath(key), value);
            }
        }
        return asMap(listsFromIndexes(root, ""));
    }

    private static List<String> keyPath(String key) {
        int open = key.indexOf('[');
        if (open < 0) {
            return List.of(key);
        }
        List<String> path = new ArrayList<>(List.of(key.substring(0, open)));
        Matcher brackets = BRACKET.matcher(key.substring(open));
        while (brackets.find()) {
            path.add(brackets.group(1));
        }
        return path;
    }

    private static void put(Map<String, Object> root, List<String> path, String value) {
        Map<String, Object> map = root;
        for (String segment : path.subList(0, path.size() - 1)) {
            map = asMap(map.computeIfAbsent(segment.isEmpty() ? String.valueOf(map.size()) : segment,
                    absent -> new LinkedHashMap<String, Object>()));
        }
        String last = path.get(path.size() - 1);
        map.put(last.isEmpty() ? String.valueOf(map.size()) : last, value);
    }

    private static Object listsFromIndexes(Object value, String name) {
        if (!(value instanceof Map<?, ?> raw)) {
            return value;
        }
        Map<String, Object> map = asMap(raw);
        map.replaceAll((key, child) -> listsFromIndexes(child, key));
        boolean indexed = !map.isEmpty() && map.keySet().stream().allMatch(key -> key.matches("\\d+"));
        if (!indexed || name.equals("metadata")) {
            return map;
        }
        Map<Integer, Object> byIndex = new TreeMap<>();
        map.forEach((key, child) -> byIndex.put(Integer.parseInt(key), child));
        return new ArrayList<>(byIndex.values());
    }

    private static Map<String, Object> metadata(Map<String, Object> params) {
        return new LinkedHashMap<>(asMap(params.get("metadata")));
    }

    private static String string(Map<String, Object> params, String name) {
        return params.get(name) instanceof String value ? value : null;
    }

    private static String required(Map<String, Object> params, String name, String param) {
        String value = string(params, name);
        if (value == null || value.isEmpty()) {
            throw new ApiError(400, "invalid_request_error", "parameter_missing", param,
                    "Missing required param: " + param + ".");
        }
        return value;
    }

    private static Object first(Object list) {
        List<Object> items = asList(list);
        return items.isEmpty() ? null : items.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static String id(Map<String, Object> object) {
        return (String) object.get("id");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fake-stripe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- Small types ----

    private record Request(String method, String path, String body, Map<String, Object> params, Headers headers) {

        String header(String name) {
            return headers.getFirst(name);
        }

        boolean hasBearer(String key) {
            return ("Bearer " + key).equals(header("Authorization"));
        }
    }

    private record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

        static Response json(int status, String body) {
            return new Response(status, "application/json", body.getBytes(UTF_8), Map.of());
        }

        static Response html(String html) {
            return new Response(200, "text/html; charset=utf-8", html.getBytes(UTF_8), Map.of());
        }

        static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(UTF_8), Map.of());
        }

        static Response redirect(String location) {
            return new Response(303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location));
        }

        Response withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Response(status, contentType, body, more);
        }
    }

    /** What a checkout session will subscribe to once paid. */
    private record CheckoutPlan(Map<String, Object> price, long quantity, Map<String, Object> coupon,
            Map<String, Object> subscriptionMetadata) {
    }

    private record Stored(String fingerprint, Response response) {
    }

    private record Delay(String pathPrefix, Duration duration) {
    }

    private record Endpoint(String url, String secret) {
    }

    private static final class StoredEvent {

        final String id;
        final String type;
        final long created;
        final String json;
        boolean delivered; // guarded by the FakeStripe

        StoredEvent(String id, String type, long created, String json) {
            this.id = id;
            this.type = type;
            this.created = created;
            this.json = json;
        }
    }

    /** An API error answered as Stripe's error JSON. */
    private static final class ApiError extends RuntimeException {

        final int status;
        final String type;
        final String code;
        final String param;

        ApiError(int status, String type, String code, String param, String message) {
            super(message);
            this.status = status;
            this.type = type;
            this.code = code;
            this.param = param;
        }

        static ApiError invalid(String param, String message) {
            return new ApiError(400, "invalid_request_error", null, param, message);
        }
    }
}
