package io.tunnelmq.server.security;

import java.util.Arrays;
import java.util.List;

/**
 * A destination name pattern of a permissions file. Names are split at dots into segments; {@code *} stands for
 * exactly one segment and {@code >} (only as the last segment) for one or more: {@code orders.>} matches
 * {@code orders.eu} and {@code orders.eu.big} but not {@code orders}, {@code DLQ.*} matches {@code DLQ.orders} but
 * not {@code DLQ.orders.eu}, {@code >} alone matches every name. Any other pattern matches only the name it spells.
 */
record DestinationPattern(String text) {
    private static final String ONE = "*";
    private static final String REST = ">";

    /**
     * @throws IllegalArgumentException for an empty pattern, or {@code >} before the last segment
     */
    DestinationPattern {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the destination pattern is empty");
        }
        List<String> segments = Arrays.asList(text.split("\\.", -1));
        int rest = segments.indexOf(REST);
        if (rest >= 0 && rest != segments.size() - 1) {
            throw new IllegalArgumentException("'>' may only be the last segment of a pattern, as in 'orders.>'; '"
                    + text + "' has it earlier");
        }
    }

    boolean matches(String name) {
        if (!text.contains(ONE) && !text.contains(REST)) {
            return text.equals(name);
        }
        String[] pattern = text.split("\\.", -1);
        String[] segments = name.split("\\.", -1);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals(REST)) {
                return segments.length > i;
            }
            if (i >= segments.length || !pattern[i].equals(ONE) && !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return segments.length == pattern.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
