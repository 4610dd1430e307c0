package io.tunnelmq.server.selector;

/**
 * A compiled LIKE pattern: {@code _} stands for one character, {@code %} for any run of characters, everything else
 * (and an escaped {@code _} or {@code %}) for itself. Matched in at most (pattern length × value length) steps: a
 * regular expression built from the pattern backtracks exponentially on {@code '%a%a%a%a%b'} against a long run of
 * {@code a}s, and the broker evaluates selectors on its event loops, where a peer must not be able to stall it.
 * Characters are Unicode code points, as in a regular expression's {@code .}.
 */
final class LikePattern {
    /** Pattern elements: a code point (>= 0), or one of these. */
    private static final int ONE = -1;
    private static final int ANY = -2;

    private final int[] elements;

    private LikePattern(int[] elements) {
        this.elements = elements;
    }

    /**
     * @param pattern the pattern as written
     * @param escape  the ESCAPE character, or null
     * @throws IllegalArgumentException if the pattern ends with its escape character
     */
    static LikePattern compile(String pattern, Character escape) {
        int[] codePoints = pattern.codePoints().toArray();
        int[] elements = new int[codePoints.length];
        int n = 0;
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            if (escape != null && c == escape) {
                if (++i >= codePoints.length) {
                    throw new IllegalArgumentException("ends with its escape character");
                }
                elements[n++] = codePoints[i];
            } else if (c == '%') {
                if (n == 0 || elements[n - 1] != ANY) { // %% is %
                    elements[n++] = ANY;
                }
            } else {
                elements[n++] = c == '_' ? ONE : c;
            }
        }
        return new LikePattern(java.util.Arrays.copyOf(elements, n));
    }

    /**
     * Whether the whole value matches. Greedy, remembering only the last {@code %}: when a later element fails,
     * that {@code %} takes one more character and matching resumes after it. Earlier {@code %}s never need to take
     * more, since the last one can absorb anything they would.
     */
    boolean matches(String value) {
        int[] s = value.codePoints().toArray();
        int si = 0;
        int pi = 0;
        int lastAny = -1;
        int resumeAt = 0;
        while (si < s.length) {
            if (pi < elements.length && (elements[pi] == ONE || elements[pi] == s[si])) {
                si++;
                pi++;
            } else if (pi < elements.length && elements[pi] == ANY) {
                lastAny = pi++;
                resumeAt = si;
            } else if (lastAny >= 0) {
                pi = lastAny + 1;
                si = ++resumeAt;
            } else {
                return false;
            }
        }
        while (pi < elements.length && elements[pi] == ANY) {
            pi++;
        }
        return pi == elements.length;
    }
}
