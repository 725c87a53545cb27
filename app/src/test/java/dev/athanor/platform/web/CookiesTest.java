package dev.athanor.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cookies behind https carry the __Host- prefix and Secure; on a laptop's http they cannot, and do not. */
class CookiesTest {

    @Test
    void overHttpsCookiesAreHostOnlySecureHttpOnlyAndLax() {
        Cookies cookies = new Cookies(new Site("A", "t", URI.create("https://learn.example.com")));
        assertThat(cookies.set("session", "abc", Duration.ofDays(90))).isEqualTo(
                "__Host-session=abc; Path=/; Max-Age=7776000; HttpOnly; SameSite=Lax; Secure");
        assertThat(cookies.clear("session")).isEqualTo(
                "__Host-session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
    }

    @Test
    void overHttpTheyHaveNoPrefixAndNoSecureFlag() {
        Cookies cookies = new Cookies(new Site("A", "t", URI.create("http://localhost:8080")));
        assertThat(cookies.set("session", "abc", Duration.ofMinutes(1))).isEqualTo(
                "session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
    }
}
