package dev.athanor.platform.web;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * A page kept in the {@link PageCache}: its bytes plain, gzipped (at the fastest level when stored, then at the
 * best once a client is sent gzip, {@link #withBestGzip}) and, once a client that accepts it asks, Brotli-compressed ({@link #withBrotli}), their
 * validators, and the response headers encoded ahead of time, so answering from the cache is a lookup and two buffer
 * writes. Each gzip copy has its own ETag ({@code -gz1} for the fast one, {@code -gz} for the best), as their bytes
 * differ.
 */
public final class CachedPage {

    /** How a body is sent: as it is, gzipped, or Brotli-compressed. */
    enum Coding { IDENTITY, GZIP, BROTLI }

    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;
    private final String gzipEtag;
    /**
     * Both gzip copies' tags, either of which a client may hold whichever copy is here now (the best one replaces the
     * fast one; a page rendered again to the same bytes starts with the fast one).
     */
    private final String fastGzipEtag;
    private final String bestGzipEtag;
    /** Whether {@link #gzipped} is the best level's copy, made off the request. */
    private final boolean bestGzip;
    private final String lastModified;
    private final long lastModifiedMillis;
    private final String contentType;
    private final Set<String> dependencies;
    private final HttpField[] plainHeaders;
    private final HttpField[] gzipHeaders;
    private final byte[] brotli;
    private final String brotliEtag;
    private final HttpField[] brotliHeaders;
    private final long storedNanos;
    /** Whether the Brotli copy was asked for (made once, off the request): shared by the copies of one rendering. */
    private final AtomicBoolean brotliAsked;
    /** Whether the best gzip copy was asked for, likewise. */
    private final AtomicBoolean bestGzipAsked;

    /** A page as stored, with its fast gzip copy. */
    CachedPage(byte[] plain, byte[] gzipped, String etag, String lastModified, long lastModifiedMillis,
            String contentType, Set<String> dependencies, long storedNanos) {
        this(plain, gzipped, false, null, new AtomicBoolean(), new AtomicBoolean(), etag, lastModified,
                lastModifiedMillis, contentType, dependencies, storedNanos);
    }

    private CachedPage(byte[] plain, byte[] gzipped, boolean bestGzip, byte[] brotli, AtomicBoolean brotliAsked,
            AtomicBoolean bestGzipAsked, String etag, String lastModified, long lastModifiedMillis, String contentType,
            Set<String> dependencies, long storedNanos) {
        this.brotliAsked = brotliAsked;
        this.bestGzipAsked = bestGzipAsked;
        this.storedNanos = storedNanos;
        this.brotli = brotli;
        this.brotliEtag = etag.substring(0, etag.length() - 1) + "-br\"";
        this.plain = plain;
        this.gzipped = gzipped;
        this.etag = etag;
        this.fastGzipEtag = etag.substring(0, etag.length() - 1) + "-gz1\"";
        this.bestGzipEtag = etag.substring(0, etag.length() - 1) + "-gz\"";
        this.gzipEtag = bestGzip ? bestGzipEtag : fastGzipEtag;
        this.bestGzip = bestGzip;
        this.lastModified = lastModified;
        this.lastModifiedMillis = lastModifiedMillis;
        this.contentType = contentType;
        this.dependencies = Set.copyOf(dependencies);
        this.plainHeaders = headers(plain.length, this.etag, null);
        this.gzipHeaders = headers(gzipped.length, this.gzipEtag, "gzip");
        this.brotliHeaders = brotli == null ? null : headers(brotli.length, this.brotliEtag, "br");
    }

    /** This page with its Brotli copy. */
    CachedPage withBrotli(byte[] compressed) {
        return new CachedPage(plain, gzipped, bestGzip, compressed, brotliAsked, bestGzipAsked, etag, lastModified,
                lastModifiedMillis, contentType, dependencies, storedNanos);
    }

    /** This page with its gzip copy at the best level in place of the fast one. */
    CachedPage withBestGzip(byte[] compressed) {
        return new CachedPage(plain, compressed, true, brotli, brotliAsked, bestGzipAsked, etag, lastModified,
                lastModifiedMillis, contentType, dependencies, storedNanos);
    }

    /** Whether {@code other} is this page, with the same or other compressed copies: the same rendering. */
    boolean sameRendering(CachedPage other) {
        return other != null && other.plain == plain;
    }

    /** Whether a client that sent {@code acceptEncoding} is the first to want a Brotli copy not made yet. */
    boolean firstToWantBrotli(String acceptEncoding) {
        return brotli == null && AcceptEncoding.allowsBrotli(acceptEncoding) && brotliAsked.compareAndSet(false, true);
    }

    /** The Brotli copy asked for could not be made now: the next client that wants it asks again. */
    void brotliNotMade() {
        brotliAsked.set(false);
    }

    /** Whether a client about to be sent {@code coding} is the first to get the fast gzip copy. */
    boolean firstToGetFastGzip(Coding coding) {
        return coding == Coding.GZIP && !bestGzip && bestGzipAsked.compareAndSet(false, true);
    }

    /** The best gzip copy asked for could not be made now: the next client sent the fast one asks again. */
    void bestGzipNotMade() {
        bestGzipAsked.set(false);
    }

    /** The best coding for a client that sent {@code acceptEncoding}: Brotli when made and accepted, then gzip. */
    Coding coding(String acceptEncoding) {
        if (brotli != null && AcceptEncoding.allowsBrotli(acceptEncoding)) {
            return Coding.BROTLI;
        }
        return AcceptEncoding.allowsGzip(acceptEncoding) ? Coding.GZIP : Coding.IDENTITY;
    }

    /** The page's own headers (the security headers are added by whoever sends it). */
    private HttpField[] headers(int length, String tag, String encoding) {
        java.util.List<HttpField> fields = new java.util.ArrayList<>();
        fields.add(PageCache.CACHE_CONTROL);
        fields.add(PageCache.VARY);
        fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, contentType));
        fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(length)));
        fields.add(new PreEncodedHttpField(HttpHeader.ETAG, tag));
        fields.add(new PreEncodedHttpField(HttpHeader.LAST_MODIFIED, lastModified));
        if (encoding != null) {
            fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, encoding));
        }
        return fields.toArray(new HttpField[0]);
    }

    /** The body in {@code coding}. */
    ByteBuffer body(Coding coding) {
        return ByteBuffer.wrap(bytes(coding)).asReadOnlyBuffer();
    }

    byte[] bytes(Coding coding) {
        return switch (coding) {
            case IDENTITY -> plain;
            case GZIP -> gzipped;
            case BROTLI -> brotli;
        };
    }

    HttpField[] headers(Coding coding) {
        return switch (coding) {
            case IDENTITY -> plainHeaders;
            case GZIP -> gzipHeaders;
            case BROTLI -> brotliHeaders;
        };
    }

    /**
     * Whether a client holding a copy that matches these validators may be answered 304: any coding of this rendering,
     * the fast gzip copy included (it decodes to the same page).
     */
    boolean notModified(String ifNoneMatch, long ifModifiedSince) {
        if (ifNoneMatch != null) {
            return ifNoneMatch.contains(etag) || ifNoneMatch.contains(bestGzipEtag)
                    || ifNoneMatch.contains(fastGzipEtag) || ifNoneMatch.contains(brotliEtag)
                    || ifNoneMatch.strip().equals("*");
        }
        return ifModifiedSince >= 0 && lastModifiedMillis / 1000 <= ifModifiedSince / 1000;
    }

    String etag(Coding coding) {
        return switch (coding) {
            case IDENTITY -> etag;
            case GZIP -> gzipEtag;
            case BROTLI -> brotliEtag;
        };
    }

    String lastModified() {
        return lastModified;
    }

    long lastModifiedMillis() {
        return lastModifiedMillis;
    }

    String contentType() {
        return contentType;
    }

    Set<String> dependencies() {
        return dependencies;
    }

    /** Whether the page is younger than {@code lifetimeNanos} at {@code nowNanos} ({@link System#nanoTime}). */
    boolean freshAt(long nowNanos, long lifetimeNanos) {
        return nowNanos - storedNanos < lifetimeNanos;
    }

    int weight() {
        return plain.length + gzipped.length + (brotli == null ? 0 : brotli.length) + 512;
    }
}
