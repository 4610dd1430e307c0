package io.tunnelmq.jms.engine;

/**
 * The client's view of the broker's receive buffer for one connection, counted along the stream of sends: the
 * bytes written so far ({@code sent}), how far the broker had received when it made its latest report
 * ({@code acked}), and how far the broker lets the client send ({@code granted}, as its latest report said: reports
 * arrive in the order the broker measured them). The broker counts the same bytes ({@code WireMessage.sizeEstimate})
 * in the same order, so a report is exact: the {@code Ok} of an answered send counts its free figure from the end of
 * that send, a {@code WindowUpdate} from the bytes it names. Pure arithmetic, confined to the connection's event loop.
 *
 * <p>A message fits when {@code granted - sent >= size}. One exception keeps a connection from getting stuck: when
 * no report is on its way and the window is not spent (at least a quarter of the initial window is left), any
 * message may go, however large. That is how a message larger than the whole window gets through. A report is on its
 * way while an answered send is in flight, and while unanswered sends are in flight and less than half the initial
 * window is left (the broker reports unanswered sends once the window it granted is half spent). Below a quarter the
 * client waits: the broker owes it a {@code WindowUpdate}.
 */
final class SendWindow {
    private final long initialFree;
    private final long lowWater;
    private final long halfWindow;
    private long sent;
    private long acked;
    private long granted;
    private int answeredInFlight;

    /** @param initialFree the broker's receive buffer from {@code Welcome.receiveBufferBytes} */
    SendWindow(long initialFree) {
        if (initialFree < 0) {
            throw new IllegalArgumentException("initial window must be >= 0, was " + initialFree);
        }
        this.initialFree = initialFree;
        this.lowWater = Math.max(1, initialFree / 4);
        this.halfWindow = Math.max(1, initialFree / 2);
        this.granted = initialFree;
    }

    /** Whether a message of {@code size} bytes may be written now. */
    boolean hasRoomFor(long size) {
        long available = available();
        return available >= size || (!reportComing() && available >= lowWater);
    }

    private boolean reportComing() {
        return answeredInFlight > 0 || (sent > acked && granted - sent < halfWindow);
    }

    /**
     * A message of {@code size} bytes was written (an answered one waits for its {@code Ok} or error).
     *
     * @return where it ends in the stream of sends: the point its {@code Ok} counts from
     */
    long sent(long size, boolean answered) {
        sent += size;
        if (answered) {
            answeredInFlight++;
        }
        return sent;
    }

    /** A message of {@code size} bytes never reached the socket (its write failed at once): it was not sent. */
    void unsent(long size, boolean answered) {
        sent -= size;
        if (answered) {
            answeredInFlight--;
        }
    }

    /** An answered send that ends at {@code end} was answered: {@code Ok} with {@code freeBytes}, else -1. */
    void answered(long end, long freeBytes) {
        answeredInFlight = Math.max(0, answeredInFlight - 1);
        reported(end, freeBytes);
    }

    /** An answered send will not be answered (timed out, or its connection is lost). */
    void unanswered() {
        answeredInFlight = Math.max(0, answeredInFlight - 1);
    }

    /**
     * The broker reported: it had received {@code received} bytes and had room for {@code freeBytes} more (-1: it did
     * not say, as in an error).
     */
    void reported(long received, long freeBytes) {
        acked = Math.max(acked, Math.min(received, sent));
        if (freeBytes >= 0) {
            granted = received + freeBytes;
        }
    }

    /** A report that does not say how far it reaches (an older broker's {@code WindowUpdate}): counted from acked. */
    void reportedFree(long freeBytes) {
        reported(acked, freeBytes);
    }

    /** The free space of the latest report the window counts from, as the broker would say it now. */
    long lastFree() {
        return Math.max(0, granted - acked);
    }

    long inFlight() {
        return sent - acked;
    }

    /** Bytes that may still be sent before the window is spent; never negative. */
    long available() {
        return Math.max(0, granted - sent);
    }

    long initialFree() {
        return initialFree;
    }

    @Override
    public String toString() {
        return "SendWindow[sent " + sent + ", acked " + acked + ", granted " + granted + ", answered in flight "
                + answeredInFlight + ", low water " + lowWater + "]";
    }
}
