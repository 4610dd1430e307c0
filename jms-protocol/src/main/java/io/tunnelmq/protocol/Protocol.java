package io.tunnelmq.protocol;

import java.nio.charset.StandardCharsets;

/** Constants both peers agree on. */
public final class Protocol {
    /** The protocol version this build speaks. A {@code Hello} with another version is refused. */
    public static final int VERSION = 1;
    /** First four bytes of every {@code Hello} body: "TMQ1". Lets the broker reject a stranger at once. */
    public static final int MAGIC = 0x544D5131;
    /** Default broker port. */
    public static final int DEFAULT_PORT = 9494;
    /** URL scheme of TunnelMQ connection URLs. */
    public static final String SCHEME = "tmq";
    /** Channel 0 carries connection control; channels 1..n carry one JMS session each. */
    public static final int CONTROL_CHANNEL = 0;
    /** Bytes of the frame header: length (4), type (1), channel (4). */
    public static final int HEADER_SIZE = 9;
    /** Bytes of the header that the length field does not count. */
    public static final int LENGTH_FIELD_SIZE = 4;
    /** Default upper bound of one frame, header included. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
    /**
     * Default heartbeat interval: proposed by the client, and the longest the broker agrees to unless configured
     * otherwise. With {@link #MISSED_HEARTBEATS} a client notices a dead broker within 9 s, the broker a dead client
     * within 9–10.5 s (it checks every half interval).
     */
    public static final int DEFAULT_HEARTBEAT_MILLIS = 3_000;
    /**
     * A peer from which nothing at all was read for this many heartbeat intervals is dead. Both sides count the same,
     * so a client knows when the broker is about to give up on it.
     */
    public static final int MISSED_HEARTBEATS = 3;
    /**
     * The most JMSMessageIDs one {@code CreateConsumer} may name as seen on an earlier connection; the broker refuses
     * a consumer with more (RESOURCE_EXHAUSTED), so a client sends at most this many.
     */
    public static final int MAX_SEEN_MESSAGE_IDS = 10_000;
    /** Request id meaning "no reply wanted" (fire-and-forget settlements). */
    public static final long NO_REPLY = 0L;
    /**
     * The longest name, in UTF-8 bytes, of a destination, a named subscription or a client ID: both peers refuse a
     * longer one with a clear error. JMS asks providers to take subscription names of up to 128 characters; this is
     * well over that, and under what a database shared by brokers can index (names are keys there).
     */
    public static final int MAX_NAME_BYTES = 1024;

    private Protocol() {
    }

    /**
     * Why {@code name} (a {@code what}: "queue name", "client ID") cannot be one, or null when it can: longer than
     * {@link #MAX_NAME_BYTES}, or with a character that would show as something else in a log line, the console or a
     * metric label ({@link PeerText#firstUnsafe}: a line break, another control character, a bidirectional
     * override). Cheap for a short name: it is checked on every send.
     */
    public static String nameProblem(String what, String name) {
        if (name == null) {
            return null;
        }
        int unsafe = PeerText.firstUnsafe(name);
        if (unsafe >= 0) {
            return "a " + what + " may not contain control characters, line separators or bidirectional formatting;"
                    + " this one has U+" + String.format("%04X", (int) name.charAt(unsafe)) + " at index " + unsafe
                    + ": '" + PeerText.of(name) + "'";
        }
        if (name.length() * 3 <= MAX_NAME_BYTES) {
            return null;
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= MAX_NAME_BYTES ? null : "a " + what + " may be at most " + MAX_NAME_BYTES
                + " bytes long (UTF-8); this one is " + bytes + " bytes: '" + name.substring(0, 32) + "…'";
    }
}
