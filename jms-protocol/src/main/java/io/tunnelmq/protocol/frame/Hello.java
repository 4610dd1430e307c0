package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;

import java.util.HashMap;
import java.util.Map;

/**
 * The client's first frame on a new connection (channel 0). The broker answers {@link Welcome} or an
 * {@link ErrorFrame} and closes.
 *
 * @param version         protocol version the client speaks
 * @param clientId        JMS client ID set administratively (URL or factory), or null
 * @param user            user name, or null
 * @param password        password, or null
 * @param heartbeatMillis interval at which the client wants heartbeats; 0 disables
 * @param options         further connection options ({@code OPTION_...}); never null. A broker ignores options it
 *                        does not know, so new ones need no new frame.
 */
public record Hello(int version, String clientId, String user, String password, int heartbeatMillis,
                    Map<String, Object> options) implements Frame {
    /** Option: the lock duration the client wants, in milliseconds (a whole number; 0 = each queue's setting). */
    public static final String OPTION_LOCK_DURATION = "lockDuration";
    /**
     * Option: the broker's id ({@link Welcome#connectionId()}) of the connection this one replaces after a loss (a
     * string). If the broker still holds that connection, it is the same user's and both Hellos carried the same
     * {@link #OPTION_RESUME_KEY}, it ends it at once, as lost, before it takes this one's client ID; otherwise the
     * option is ignored.
     */
    public static final String OPTION_RESUME = "resume";
    /**
     * Option: a secret the client chose for all the connections of one logical (failover) connection (a string of at
     * most 128 characters). Connection ids are predictable, so only a connection that presents the key its
     * predecessor presented may end it by {@link #OPTION_RESUME}; a connection without one can never be ended so.
     * Never logged.
     */
    public static final String OPTION_RESUME_KEY = "resumeKey";
    /**
     * Option: the client reads {@link Welcome#peers()} ({@code true}). A broker names its peers only to such clients:
     * an older client would refuse a Welcome with a field it does not know.
     */
    public static final String OPTION_PEERS = "peers";
    /**
     * Option: the client reads {@link Welcome#storeId()} and may send {@link Commit#transactionId()} and
     * {@link CommitQuery} ({@code true}). A broker names its store only to such clients (an older client would refuse
     * a Welcome with a field it does not know), and a client sends transaction ids only to a broker that named it.
     */
    public static final String OPTION_STORE_ID = "storeId";
    /**
     * Option: the client reads {@link Welcome#accessChecked()} ({@code true}). A broker that checks permissions says
     * so only to such clients (an older client would refuse a Welcome with a field it does not know).
     */
    public static final String OPTION_ACCESS_CHECKED = "accessChecked";
    /**
     * Option: the client may send non-persistent messages that the broker does not answer ({@link Send} with request
     * id {@link io.tunnelmq.protocol.Protocol#NO_REPLY}), and reads {@link Welcome#unansweredSends()} and
     * {@link WindowUpdate#received()} ({@code true}). A client sends them only to a broker whose Welcome says it
     * takes them: an older broker refuses a Send without a request id.
     */
    public static final String OPTION_UNANSWERED_SENDS = "unansweredSends";

    public Hello {
        if (heartbeatMillis < 0) {
            throw new IllegalArgumentException("heartbeat interval must be >= 0, was " + heartbeatMillis);
        }
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(Protocol.MAGIC);
        buf.writeInt(version);
        Wire.writeString(buf, clientId);
        Wire.writeString(buf, user);
        Wire.writeString(buf, password);
        buf.writeInt(heartbeatMillis);
        Wire.writeMap(buf, options);
    }

    static Hello read(int channel, ByteBuf buf) {
        int magic = buf.readInt();
        if (magic != Protocol.MAGIC) {
            throw new ProtocolException(ErrorCode.PROTOCOL_VIOLATION,
                    "not a TunnelMQ client: the handshake did not start with the TMQ1 magic");
        }
        return new Hello(buf.readInt(), Wire.readString(buf), Wire.readString(buf), Wire.readString(buf),
                buf.readInt(), options(Wire.readMap(buf)));
    }

    /** The options as read; a null value (the wire allows it in maps) is refused here, not as a bare NPE later. */
    private static Map<String, Object> options(Map<String, Object> options) {
        for (Map.Entry<String, Object> option : options.entrySet()) {
            if (option.getValue() == null) {
                throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "Hello option '" + option.getKey()
                        + "' has no value: send an option with a value or leave it out");
            }
        }
        return options;
    }

    @Override
    public String toString() {
        return "Hello[version=" + version + ", clientId=" + clientId + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", heartbeatMillis=" + heartbeatMillis
                + ", options=" + loggableOptions() + "]";
    }

    private Map<String, Object> loggableOptions() {
        if (!options.containsKey(OPTION_RESUME_KEY)) {
            return options;
        }
        Map<String, Object> masked = new HashMap<>(options);
        masked.put(OPTION_RESUME_KEY, "***"); // a secret, like the password: frames are traced
        return masked;
    }
}
