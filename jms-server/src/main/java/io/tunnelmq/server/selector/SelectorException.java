package io.tunnelmq.server.selector;

/**
 * A message selector that is not valid JMS selector syntax, with where and why. The message reads like
 * "selector 'a >' is invalid at position 3: expected an operand" and goes to the client verbatim.
 */
public final class SelectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String selector;
    private final int position;
    private final String reason;

    /**
     * @param selector the selector text
     * @param position 0-based character index where the problem was found
     * @param reason   what was wrong there
     */
    public SelectorException(String selector, int position, String reason) {
        super("selector '" + selector + "' is invalid at position " + position + ": " + reason);
        this.selector = selector;
        this.position = position;
        this.reason = reason;
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
