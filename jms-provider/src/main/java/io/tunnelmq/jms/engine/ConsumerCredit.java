package io.tunnelmq.jms.engine;

/**
 * Delivery credit of one consumer, following the application rather than the network: the broker starts with
 * the prefetch as credit (in messages and, optionally, in bytes), and gets more only as the application takes
 * messages out of the facade's buffer — in batches, once half the prefetch in messages OR half the prefetch in
 * bytes has been taken. A consumer that keeps up costs one {@code Credit} frame per half prefetch, and one that
 * stalls stops the broker after at most the prefetch.
 *
 * <p>The broker may deliver one message beyond the byte credit while the consumer's byte credit is more than
 * half the byte prefetch (that is how a message larger than the whole prefetch gets through). Since a grant
 * comes at the latest once half the byte prefetch was taken, a consumer whose buffer is empty always has that
 * much credit, so it is never stuck.
 *
 * <p>Thread-safe: application threads report what they took, and only the thread that reaches a threshold
 * gets a grant to send.
 */
final class ConsumerCredit {

    /** Credit to give the broker now. */
    record Grant(int messages, long bytes) {
        static final Grant NONE = new Grant(0, 0);

        boolean isEmpty() {
            return messages == 0 && bytes == 0;
        }
    }

    private final int prefetch;
    private final long prefetchBytes;
    private final int threshold;
    private final long bytesThreshold;
    private int takenMessages;
    private long takenBytes;

    /** A consumer without a byte limit. */
    ConsumerCredit(int prefetch) {
        this(prefetch, 0);
    }

    /**
     * @param prefetch      messages the broker may deliver ahead of the application; 0 = pull one at a time
     * @param prefetchBytes bytes the broker may deliver ahead of the application; 0 = no byte limit (also the
     *                      case whenever {@code prefetch} is 0: a pulled message is one message, whatever its size)
     */
    ConsumerCredit(int prefetch, long prefetchBytes) {
        if (prefetch < 0 || prefetchBytes < 0) {
            throw new IllegalArgumentException("prefetch must be >= 0, was " + prefetch + " messages, "
                    + prefetchBytes + " bytes");
        }
        this.prefetch = prefetch;
        this.prefetchBytes = prefetch == 0 ? 0 : prefetchBytes;
        this.threshold = Math.max(1, prefetch / 2);
        this.bytesThreshold = Math.max(1, this.prefetchBytes / 2);
    }

    /** The credit in messages the consumer opens with. */
    int initialCredit() {
        return prefetch;
    }

    /** The credit in bytes the consumer opens with; 0 = no byte limit. */
    long initialCreditBytes() {
        return prefetchBytes;
    }

    /** Messages-only form of {@link #taken(int, long)}, for a consumer without a byte limit. */
    int taken(int count) {
        return taken(count, 0).messages();
    }

    /**
     * The application took {@code count} messages of {@code bytes} bytes in all (or the facade released them).
     *
     * @return credit to grant the broker now, or {@link Grant#NONE} to wait for more to be taken
     */
    synchronized Grant taken(int count, long bytes) {
        if (count < 0 || bytes < 0) {
            throw new IllegalArgumentException("taken must be >= 0, was " + count + " messages, " + bytes + " bytes");
        }
        if (prefetch == 0 || (count == 0 && bytes == 0)) {
            return Grant.NONE; // with no prefetch the application pulls each message itself
        }
        takenMessages += count;
        takenBytes += bytes;
        boolean bytesDue = prefetchBytes > 0 && takenBytes >= bytesThreshold;
        if (takenMessages < threshold && !bytesDue) {
            return Grant.NONE;
        }
        Grant grant = new Grant(takenMessages, prefetchBytes > 0 ? takenBytes : 0);
        takenMessages = 0;
        takenBytes = 0;
        return grant;
    }

    /**
     * Messages given back unseen (released in answer to a revocation): their credit is owed to the broker but not
     * granted now, so the broker cannot hand them straight back; it goes out with the consumer's next grant
     * ({@link #taken} reaching a threshold, or {@link #owed} when the application waits).
     */
    synchronized void returned(int count, long bytes) {
        if (prefetch > 0) {
            takenMessages += count;
            takenBytes += prefetchBytes > 0 ? bytes : 0;
        }
    }

    /** Takes all the credit owed so far (for a credit that goes out now anyway, such as WAITING). */
    synchronized Grant owed() {
        Grant grant = new Grant(takenMessages, prefetchBytes > 0 ? takenBytes : 0);
        takenMessages = 0;
        takenBytes = 0;
        return grant;
    }

    /** Forgets the credit owed: the broker's credit is about to be set to an exact value (stop, start). */
    synchronized void reset() {
        takenMessages = 0;
        takenBytes = 0;
    }

    /**
     * The application wants one message now. Only a consumer without prefetch asks for messages one at a
     * time; with prefetch the credit already covers it, and extra credit would grow the prefetch for good.
     *
     * @return credit to grant the broker now
     */
    int pull() {
        return prefetch == 0 ? 1 : 0;
    }

    int prefetch() {
        return prefetch;
    }
}
