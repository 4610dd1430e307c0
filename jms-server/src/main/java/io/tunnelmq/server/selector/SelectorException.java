package io.tunnelmq.server.selector;

/**
 * A message selector that is not valid JMS selector syntax, with where and why. The message reads like
 * "selector 'a >' is invalid at position 3: expected an operand" and goes to the client verbatim.
 */
public final class SelectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The most of a selector its error message quotes. */
    private static final int QUOTED_LENGTH = 200;

    private final String selector;
    private final int position;
    private final String reason;

    /**
     * @param selector the selector text
     * @param position 0-based character index where the problem was found
     * @param reason   what was wrong there
     */
    public SelectorException(String selector, int position, String reason) {
        super("selector '" + quoted(selector) + "' is invalid at position " + position + ": " + reason);
        this.selector = selector;
        this.position = position;
        this.reason = reason;
    }

    /** The selector for the message: a long one cut short, so the error fits in a frame and a log line. */
    private static String quoted(String selector) {
        return selector.length() <= QUOTED_LENGTH ? selector : selector.substring(0, QUOTED_LENGTH) + "…";
    }

    /** The selector text as given. */
    public String selector() {
        return selector;
    }

    /** 0-based character index of the problem. */
    public int position() {
        return position;
    }

    /** What was wrong, without the selector and position. */
    public String reason() {
        return reason;
    }
}
