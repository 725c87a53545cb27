package dev.athanor.platform.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoded text as it arrives in an address or a form body ({@code a=caf%C3%A9&b=x+y}): well formed when every
 * {@code %} starts a two-digit hex escape, and what the escapes and the raw bytes decode to is UTF-8 without a NUL.
 */
final class PercentEncoded {

    private PercentEncoded() {
    }

    /** Whether {@code text} (already decoded to characters by the server) is well formed. */
    static boolean isWellFormed(String text, boolean plusIsSpace) {
        // a replacement character here stands for raw bytes the server could not decode
        return text.indexOf('\uFFFD') < 0 && isWellFormed(text.getBytes(StandardCharsets.UTF_8), plusIsSpace);
    }

    /** Whether {@code raw} (the bytes as sent) is well formed. */
    static boolean isWellFormed(byte[] raw, boolean plusIsSpace) {
        byte[] decoded = new byte[raw.length];
        int length = 0;
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%') {
                if (i + 2 >= raw.length) {
                    return false;
                }
                int high = Character.digit(raw[i + 1], 16);
                int low = Character.digit(raw[i + 2], 16);
                if (high < 0 || low < 0) {
                    return false;
                }
                b = (byte) (high * 16 + low);
                i += 2;
            } else if (b == '+' && plusIsSpace) {
                b = ' ';
            }
            if (b == 0) {
                return false;
            }
            decoded[length++] = b;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
