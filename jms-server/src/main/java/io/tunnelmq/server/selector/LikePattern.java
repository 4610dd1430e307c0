package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * A compiled LIKE pattern: {@code _} stands for one character, {@code %} for any run of characters, everything else
 * (and an escaped {@code _} or {@code %}) for itself. Characters are Unicode code points, as in a regular
 * expression's {@code .}.
 *
 * <p>The broker evaluates selectors under a queue's lock, where a peer must not be able to stall it. A regular
 * expression built from the pattern backtracks exponentially on {@code '%a%a%a%a%b'} against a long run of
 * {@code a}s; this matcher never backtracks: the part before the first {@code %} must be the value's start, the part
 * after the last one its end, and each part between is placed at its leftmost fit after the one before (any match
 * can be shifted to that one). Only finding those middle parts can look at a character more than once; past
 * {@value #STEPS_PER_CHARACTER} steps per character of pattern and value, which ordinary patterns never come near,
 * it gives up with UNKNOWN (the message is not selected), so a middle part of thousands of characters against a
 * value of millions cannot hold the lock for minutes.
 */
final class LikePattern {
    /** Pattern elements: a code point (>= 0), or one of these. */
    private static final int ONE = -1;
    private static final int ANY = -2;

    /** Steps a match may take per character of pattern and value. */
    static final int STEPS_PER_CHARACTER = 32;
    /** Steps any match may take, however short its pattern and value. */
    private static final int MIN_STEPS = 4096;
    private static final Throttle WARNINGS = Throttle.perMinute();
    private static final Logger log = LoggerFactory.getLogger(LikePattern.class);

    private final int[] elements;
    /** Index in {@link #elements} of the first and the last {@code %}; -1 when there is none. */
    private final int firstAny;
    private final int lastAny;

    private LikePattern(int[] elements) {
        this.elements = elements;
        int first = -1;
        int last = -1;
        for (int i = 0; i < elements.length; i++) {
            if (elements[i] == ANY) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        this.firstAny = first;
        this.lastAny = last;
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
        return new LikePattern(Arrays.copyOf(elements, n));
    }

    /**
     * Whether the whole value matches: TRUE or FALSE, or null (UNKNOWN) when finding the parts between
     * {@code %}s would take more than its budget of steps.
     */
    Boolean matches(String value) {
        Text s = Text.of(value);
        int n = s.length();
        if (firstAny < 0) {
            return n == elements.length && fits(s, 0, 0, n);
        }
        int suffix = elements.length - lastAny - 1;
        if (firstAny + suffix > n || !fits(s, 0, 0, firstAny) || !fits(s, n - suffix, lastAny + 1, suffix)) {
            return false;
        }
        long budget = STEPS_PER_CHARACTER * ((long) n + elements.length) + MIN_STEPS;
        int from = firstAny;
        int end = n - suffix;
        for (int part = firstAny + 1; part < lastAny; ) {
            int length = 0;
            while (elements[part + length] != ANY) {
                length++;
            }
            int at = from;
            while (true) {
                if (at + length > end) {
                    return false;
                }
                int same = 0;
                while (same < length && (elements[part + same] == ONE || elements[part + same] == s.at(at + same))) {
                    same++;
                }
                budget -= same + 1;
                if (budget < 0) {
                    tooCostly(n);
                    return null;
                }
                if (same == length) {
                    break;
                }
                at++;
            }
            from = at + length;
            part += length + 1;
        }
        return true;
    }

    /** Whether {@code length} elements from {@code part} match the value's code points from {@code at}. */
    private boolean fits(Text s, int at, int part, int length) {
        for (int i = 0; i < length; i++) {
            int e = elements[part + i];
            if (e != ONE && e != s.at(at + i)) {
                return false;
            }
        }
        return true;
    }

    /** A value as code points by index: its chars when it has no surrogate pair (most values: no copy). */
    private interface Text {
        int length();

        int at(int index);

        static Text of(String value) {
            for (int i = 0; i < value.length(); i++) {
                if (Character.isSurrogate(value.charAt(i))) {
                    int[] codePoints = value.codePoints().toArray();
                    return new Text() {
                        @Override
                        public int length() {
                            return codePoints.length;
                        }

                        @Override
                        public int at(int index) {
                            return codePoints[index];
                        }
                    };
                }
            }
            return new Text() {
                @Override
                public int length() {
                    return value.length();
                }

                @Override
                public int at(int index) {
                    return value.charAt(index);
                }
            };
        }
    }

    private void tooCostly(int valueLength) {
        if (WARNINGS.pass()) {
            log.warn("a LIKE pattern of {} characters against a value of {} characters needs more than {} steps a"
                    + " character: taken as UNKNOWN, the message is not selected (logged at most once a minute)",
                    elements.length, valueLength, STEPS_PER_CHARACTER);
        }
    }
}
