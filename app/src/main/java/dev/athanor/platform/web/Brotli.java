package dev.athanor.platform.web;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Brotli at its best quality (brotli4j, Google's encoder through JNI), for pages compressed once and sent many times;
 * nothing where the native library does not load (another processor, say), and the page keeps its gzip copy.
 */
final class Brotli {

    private static final boolean AVAILABLE = load();

    private Brotli() {
    }

    static Optional<byte[]> compress(byte[] bytes) {
        if (!AVAILABLE) {
            return Optional.empty();
        }
        try {
            return Optional.of(Encoder.compress(bytes, new Encoder.Parameters().setQuality(11)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean load() {
        try {
            Brotli4jLoader.ensureAvailability();
            return true;
        } catch (Throwable e) { // UnsatisfiedLinkError for a platform without its native library
            LoggerFactory.getLogger(Brotli.class).warn("Brotli is not available here ({}): pages are sent gzipped",
                    e.toString());
            return false;
        }
    }
}
