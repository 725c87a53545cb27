package dev.athanor.platform.web;

import dev.athanor.platform.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The site's own static files (stylesheet, icons, scripts), read from {@code /assets} on the class path at start,
 * each published under a name that carries a hash of its content ({@code site.3f9a0c1b2d.css}). A changed file gets a
 * new name, so browsers and proxies may keep every version for a year. Text files are compressed once, here, so no
 * request compresses them.
 */
public final class StaticAssets {

    /** The path under which the files are served. */
    public static final String PATH = "/assets/";

    /** The site's own files under {@code /assets} on the class path. */
    public static final List<String> SITE = List.of("site.css", "favicon.svg", "player.js");

    /** One published file. */
    public record Asset(String name, String contentType, byte[] bytes, Optional<byte[]> gzipped, String etag) {
    }

    private final Map<String, Asset> byPublishedName = new LinkedHashMap<>();
    private final Map<String, String> publishedNames = new LinkedHashMap<>();

    private StaticAssets() {
    }

    /** Loads the named files from {@code /assets} on the class path; a missing file stops the site from starting. */
    public static StaticAssets load(List<String> names) {
        StaticAssets assets = new StaticAssets();
        for (String name : names) {
            byte[] bytes = read(name);
            String hash = Sha256.hex(bytes).substring(0, 10);
            int dot = name.lastIndexOf('.');
            String published = name.substring(0, dot) + "." + hash + name.substring(dot);
            String type = contentType(name);
            Optional<byte[]> gzipped = type.startsWith("text/") || type.startsWith("image/svg")
                    ? Optional.of(Gzip.compress(bytes)).filter(compressed -> compressed.length < bytes.length)
                    : Optional.empty();
            assets.byPublishedName.put(published, new Asset(published, type, bytes, gzipped, "\"" + hash + "\""));
            assets.publishedNames.put(name, published);
        }
        return assets;
    }

    /** The URL path of {@code name}, such as {@code /assets/site.3f9a0c1b2d.css}. */
    public String url(String name) {
        String published = publishedNames.get(name);
        if (published == null) {
            throw new IllegalArgumentException("no asset named " + name);
        }
        return PATH + published;
    }

    /** Every published file, for exporting them to a directory that nginx serves ({@code ops nginx assets}). */
    public java.util.Collection<Asset> all() {
        return java.util.Collections.unmodifiableCollection(byPublishedName.values());
    }

    /** The file published as {@code publishedName}, if there is one. */
    public Optional<Asset> find(String publishedName) {
        return Optional.ofNullable(byPublishedName.get(publishedName));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream("/assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("asset /assets/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }
}
