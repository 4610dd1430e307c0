package io.tunnelmq.protocol;

/**
 * Text a peer chose (a user name, a client ID, a destination or subscription name, a selector), made safe to put in a log line or an error
 * message: line breaks, other control characters and the characters that reorder or break lines on display (Unicode
 * line and paragraph separators, bidirectional overrides) are written as escapes, so a peer cannot forge log lines; and
 * past {@value #MAX_CHARS} characters the text is cut, saying how long it was, so an 8 KiB name does not fill the log.
 * Text without such characters and within the length is returned as it is.
 */
public final class PeerText {
    /** The most characters of a peer's text a log line or message shows. */
    public static final int MAX_CHARS = 128;

    private PeerText() {
    }

    /** {@code text} safe to log, cut past {@link #MAX_CHARS} ({@code null} for null). */
    public static String of(String text) {
        return shown(text, MAX_CHARS);
    }

    /**
     * {@code text} safe to log, whole: for text whose every character matters to the reader (a selector in an error
     * the client gets), which the broker has already bounded.
     */
    public static String escaped(String text) {
        return shown(text, Integer.MAX_VALUE);
    }

    private static String shown(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= maxChars && clean(text)) {
            return text;
        }
        int shown = Math.min(text.length(), maxChars);
        if (shown < text.length() && Character.isHighSurrogate(text.charAt(shown - 1))) {
            shown--; // never half a character
        }
        StringBuilder b = new StringBuilder(shown + 24);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (shown < text.length()) {
            b.append("… (").append(text.length()).append(" chars)");
        }
        return b.toString();
    }

    /** Whether no character needs escaping: a loop, no stream (a send's description shows its destination). */
    private static boolean clean(String text) {
        return firstUnsafe(text) < 0;
    }

    /**
     * The index of the first character of {@code text} that a log line shows as an escape (a control character, a
     * line or paragraph separator, a bidirectional override or isolate), or -1 when there is none.
     */
    public static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
