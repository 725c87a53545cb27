package dev.athanor.platform.web;

import java.net.URI;

/** Who the site is: its name and tagline for pages, and the public address it is reached at. */
public record Site(String name, String tagline, URI baseUrl) {
}
