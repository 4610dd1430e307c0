package io.tunnelmq.jms.client;

import java.util.Arrays;

/**
 * The messages a session handed to its application and has not settled, in delivery order: lock token, JMSMessageID
 * (null for a message sent without one) and whether persistent, in parallel arrays, so a delivery adds no entry object
 * and no boxed token. Most go soon after they came (an AUTO_ACKNOWLEDGE session holds one at a time), so removing the
 * oldest is O(1) and the arrays are reused; a removal from the middle (INDIVIDUAL_ACKNOWLEDGE out of order, a message
 * given back) scans and leaves a gap, which the removal of the entries before it skips. Not thread-safe: guarded by
 * the session's acknowledgements.
 */
final class UnsettledMessages {
    private long[] tokens = new long[8];
    private String[] ids = new String[8];
    private boolean[] persistent = new boolean[8];
    private boolean[] gone = new boolean[8];
    /** Entries live in [start, end), gaps among them marked gone. */
    private int start;
    private int end;
    private int live;
    private int persistentLive;

    /** The messages taken at once, in delivery order. */
    record Taken(long[] tokens, String[] messageIds) {
        static Taken one(long token, String messageId) {
            return new Taken(new long[] {token}, new String[] {messageId});
        }
    }

    void add(long token, String messageId, boolean isPersistent) {
        if (end == tokens.length) {
            makeRoom();
        }
        tokens[end] = token;
        ids[end] = messageId;
        persistent[end] = isPersistent;
        gone[end] = false;
        end++;
        live++;
        if (isPersistent) {
            persistentLive++;
        }
    }

    /** Removes the message of this lock. @return whether it was here */
    boolean remove(long token) {
        for (int i = start; i < end; i++) {
            if (!gone[i] && tokens[i] == token) {
                gone[i] = true;
                ids[i] = null;
                live--;
                if (persistent[i]) {
                    persistentLive--;
                }
                while (start < end && gone[start]) {
                    start++;
                }
                if (start == end) {
                    start = 0;
                    end = 0;
                }
                return true;
            }
        }
        return false;
    }

    int size() {
        return live;
    }

    boolean anyPersistent() {
        return persistentLive > 0;
    }

    /** Takes every message, in delivery order; none is left. */
    Taken takeAll() {
        long[] takenTokens = new long[live];
        String[] takenIds = new String[live];
        int n = 0;
        for (int i = start; i < end; i++) {
            if (!gone[i]) {
                takenTokens[n] = tokens[i];
                takenIds[n] = ids[i];
                n++;
            }
        }
        Arrays.fill(ids, start, end, null);
        start = 0;
        end = 0;
        live = 0;
        persistentLive = 0;
        return new Taken(takenTokens, takenIds);
    }

    /** The arrays are full to their end: the live entries move to the front, into arrays twice as long if needed. */
    private void makeRoom() {
        int capacity = live * 2 > tokens.length ? tokens.length * 2 : tokens.length;
        long[] newTokens = capacity == tokens.length ? tokens : new long[capacity];
        String[] newIds = capacity == tokens.length ? ids : new String[capacity];
        boolean[] newPersistent = capacity == tokens.length ? persistent : new boolean[capacity];
        int n = 0;
        for (int i = start; i < end; i++) {
            if (!gone[i]) {
                newTokens[n] = tokens[i];
                newIds[n] = ids[i];
                newPersistent[n] = persistent[i];
                n++;
            }
        }
        if (newIds == ids) {
            Arrays.fill(ids, n, end, null);
        }
        tokens = newTokens;
        ids = newIds;
        persistent = newPersistent;
        gone = new boolean[capacity];
        start = 0;
        end = n;
    }
}
