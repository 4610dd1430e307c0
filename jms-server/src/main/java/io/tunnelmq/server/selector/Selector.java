package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;

/**
 * A compiled JMS message selector: the SQL92 subset of the Jakarta Messaging specification (comparisons,
 * arithmetic, BETWEEN, IN, LIKE with ESCAPE, IS [NOT] NULL, AND/OR/NOT with three-valued logic) over a message's
 * properties and the header fields JMSDeliveryMode, JMSPriority, JMSMessageID, JMSTimestamp, JMSCorrelationID and
 * JMSType, and JMSXDeliveryCount (the count of the delivery being decided). A message is selected only when the selector evaluates to TRUE (not FALSE, not UNKNOWN). Immutable and
 * thread-safe.
 */
public final class Selector {
    private final String text;
    private final Expression expression;

    private Selector(String text, Expression expression) {
        this.text = text;
        this.expression = expression;
    }

    /**
     * The longest selector the broker compiles, in characters: room for an IN list of thousands of ids, while a
     * consumer's compiled selector (kept for its life) stays within a megabyte or so, and compiling one cannot cost
     * the broker much more than that (a frame may carry 16 MiB).
     */
    public static final int MAX_LENGTH = 128 * 1024;

    /**
     * Compiles a selector.
     *
     * @param text the selector; null, empty or blank means "no selector"
     * @return the selector, or null when {@code text} selects every message
     * @throws SelectorException saying where and why the selector is invalid, or that it is longer than
     *     {@link #MAX_LENGTH}
     */
    public static Selector compile(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_LENGTH) {
            throw new SelectorException(text, MAX_LENGTH, "a selector may have at most " + MAX_LENGTH
                    + " characters, this one has " + text.length());
        }
        return new Selector(text, SelectorParser.parse(text));
    }

    /** Whether the message, on its first delivery, is selected: the selector evaluates to TRUE for it. */
    public boolean matches(WireMessage message) {
        return matches(message, 1);
    }

    /**
     * Whether the message is selected for a delivery with this count (the value JMSXDeliveryCount has in the
     * selector; 1 = first delivery).
     */
    public boolean matches(WireMessage message, int deliveryCount) {
        Objects.requireNonNull(message, "message");
        return Boolean.TRUE.equals(expression.evaluate(message, deliveryCount));
    }

    /** Whether {@code selector} (null = none) selects the message. */
    public static boolean matches(Selector selector, WireMessage message) {
        return selector == null || selector.matches(message);
    }

    /** The selector as given. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return "selector '" + text + "'";
    }
}
