package io.tunnelmq.jms.client;

/**
 * The lock tokens and JMSMessageIDs of the last messages a session acknowledged without waiting, so a failure the
 * broker reports later can name them; older ones drop out and are named by lock token. A ring of two arrays: an
 * acknowledgement adds no map entry and no boxed token, and only a reported failure looks anything up. Not
 * thread-safe: guarded by the session's acknowledgements.
 */
final class RecentAcknowledgements {
    private final long[] tokens;
    private final String[] ids;
    private int next;
    private int size;

    RecentAcknowledgements(int capacity) {
        this.tokens = new long[capacity];
        this.ids = new String[capacity];
    }

    /** @param messageId may be null (a message sent without one) */
    void add(long lockToken, String messageId) {
        tokens[next] = lockToken;
        ids[next] = messageId;
        next = (next + 1) % tokens.length;
        size = Math.min(size + 1, tokens.length);
    }

    /** The JMSMessageID acknowledged last under this lock token, or null if none is remembered. */
    String idOf(long lockToken) {
        for (int i = 1; i <= size; i++) {
            int slot = (next - i + tokens.length) % tokens.length;
            if (tokens[slot] == lockToken) {
                return ids[slot];
            }
        }
        return null;
    }
}
