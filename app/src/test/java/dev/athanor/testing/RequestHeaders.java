package dev.athanor.testing;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request's headers for code that reads them through JAX-RS, without a running server. */
public record RequestHeaders(Map<String, String> values) implements HttpHeaders {

    public static RequestHeaders of(Map<String, String> values) {
        return new RequestHeaders(values);
    }

    @Override
    public List<String> getRequestHeader(String name) {
        return values.containsKey(name) ? List.of(values.get(name)) : List.of();
    }

    @Override
    public String getHeaderString(String name) {
        return values.get(name);
    }

    @Override
    public MultivaluedMap<String, String> getRequestHeaders() {
        MultivaluedMap<String, String> map = new MultivaluedHashMap<>();
        values.forEach(map::add);
        return map;
    }

    @Override
    public List<MediaType> getAcceptableMediaTypes() {
        return List.of(MediaType.WILDCARD_TYPE);
    }

    @Override
    public List<Locale> getAcceptableLanguages() {
        return List.of();
    }

    @Override
    public MediaType getMediaType() {
        return null;
    }

    @Override
    public Locale getLanguage() {
        return null;
    }

    @Override
    public Map<String, Cookie> getCookies() {
        return Map.of();
    }

    @Override
    public Date getDate() {
        return null;
    }

    @Override
    public int getLength() {
        return -1;
    }
}
