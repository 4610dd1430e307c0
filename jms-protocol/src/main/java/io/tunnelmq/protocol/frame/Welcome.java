package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.Wire;

import java.util.List;

/**
 * The broker's answer to {@link Hello}: the connection is open.
 *
 * @param version            protocol version the broker will speak
 * @param connectionId       the broker's id for this connection (for logs and JMSMessageID prefixes)
 * @param heartbeatMillis    agreed heartbeat interval: each side sends at least this often and treats
 *                           three missed intervals as a dead peer; 0 disables
 * @param receiveBufferBytes the initial free space of the broker's receive buffer: the client's send window
 * @param maxFrameSize       largest frame the broker accepts, header included
 * @param brokerVersion      the broker's product version, for ConnectionMetaData and logs
 * @param brokerTimeMillis   the broker's clock (epoch millis) when it sent this frame, so the client can read the
 *                           broker's lock times on its own clock; 0 if unknown (trailing optional field)
 * @param peers              other brokers ({@code host:port} each) a client may fail over to; empty when the broker
 *                           names none (trailing optional field, written only when not empty and only to a client
 *                           whose Hello has {@link Hello#OPTION_PEERS})
 * @param storeId            the identity of the broker's message store, or null: stable across restarts of a broker
 *                           with the same data directory (per process for a broker without one), different for
 *                           another store, so a client that lost a commit's answer knows whether the broker it
 *                           reached again can tell what became of it (trailing optional field after {@code peers},
 *                           written only to a client whose Hello has {@link Hello#OPTION_STORE_ID}; {@code peers} is
 *                           then written even when empty)
 * @param accessChecked      the broker checks each user's permissions on destinations, so the client asks it
 *                           ({@link CheckAccess}) where a JMS call must be refused at once; false for an open broker
 *                           (trailing optional field after {@code storeId}, written only when true and only to a
 *                           client whose Hello has {@link Hello#OPTION_ACCESS_CHECKED}; {@code peers} and
 *                           {@code storeId} are then written even when empty or null)
 * @param unansweredSends    the broker takes {@link Send}s without a request id, answering only their failures
 *                           ({@link SendFailed}), and reports its window in {@link WindowUpdate}s with
 *                           {@link WindowUpdate#received()} (trailing optional field after {@code accessChecked},
 *                           written only when true and only to a client whose Hello has
 *                           {@link Hello#OPTION_UNANSWERED_SENDS}; the fields before it are then written too)
 */
public record Welcome(int version, String connectionId, int heartbeatMillis, long receiveBufferBytes,
                      int maxFrameSize, String brokerVersion, long brokerTimeMillis, List<String> peers,
                      String storeId, boolean accessChecked, boolean unansweredSends)
        implements Frame {

    /** A Welcome of a broker that answers every Send. */
    public Welcome(int version, String connectionId, int heartbeatMillis, long receiveBufferBytes, int maxFrameSize,
                   String brokerVersion, long brokerTimeMillis, List<String> peers, String storeId,
                   boolean accessChecked) {
        this(version, connectionId, heartbeatMillis, receiveBufferBytes, maxFrameSize, brokerVersion, brokerTimeMillis,
                peers, storeId, accessChecked, false);
    }

    /** A Welcome of a broker that does not check permissions. */
    public Welcome(int version, String connectionId, int heartbeatMillis, long receiveBufferBytes, int maxFrameSize,
                   String brokerVersion, long brokerTimeMillis, List<String> peers, String storeId) {
        this(version, connectionId, heartbeatMillis, receiveBufferBytes, maxFrameSize, brokerVersion, brokerTimeMillis,
                peers, storeId, false);
    }

    /** A Welcome without a store id. */
    public Welcome(int version, String connectionId, int heartbeatMillis, long receiveBufferBytes, int maxFrameSize,
                   String brokerVersion, long brokerTimeMillis, List<String> peers) {
        this(version, connectionId, heartbeatMillis, receiveBufferBytes, maxFrameSize, brokerVersion, brokerTimeMillis,
                peers, null);
    }

    /** A Welcome without the broker's clock. */
    public Welcome(int version, String connectionId, int heartbeatMillis, long receiveBufferBytes, int maxFrameSize,
                   String brokerVersion) {
        this(version, connectionId, heartbeatMillis, receiveBufferBytes, maxFrameSize, brokerVersion, 0L);
    }

    /** A Welcome naming no peers. */
    public Welcome(int version, String connectionId, int heartbeatMillis, long receiveBufferBytes, int maxFrameSize,
                   String brokerVersion, long brokerTimeMillis) {
        this(version, connectionId, heartbeatMillis, receiveBufferBytes, maxFrameSize, brokerVersion, brokerTimeMillis,
                List.of());
    }

    public Welcome {
        if (heartbeatMillis < 0 || receiveBufferBytes < 0 || maxFrameSize < Protocol.HEADER_SIZE) {
            throw new IllegalArgumentException("invalid Welcome: heartbeat " + heartbeatMillis + ", buffer "
                    + receiveBufferBytes + ", max frame " + maxFrameSize);
        }
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.WELCOME;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(version);
        Wire.writeString(buf, connectionId);
        buf.writeInt(heartbeatMillis);
        buf.writeLong(receiveBufferBytes);
        buf.writeInt(maxFrameSize);
        Wire.writeString(buf, brokerVersion);
        buf.writeLong(brokerTimeMillis);
        if (!peers.isEmpty() || storeId != null || accessChecked || unansweredSends) {
            Wire.writeStrings(buf, peers);
        }
        if (storeId != null || accessChecked || unansweredSends) {
            Wire.writeString(buf, storeId);
        }
        if (accessChecked || unansweredSends) {
            buf.writeBoolean(accessChecked);
        }
        if (unansweredSends) {
            buf.writeBoolean(true);
        }
    }

    static Welcome read(int channel, ByteBuf buf) {
        return new Welcome(buf.readInt(), Wire.readString(buf), buf.readInt(), buf.readLong(), buf.readInt(),
                Wire.readString(buf), buf.isReadable() ? buf.readLong() : 0L,
                buf.isReadable() ? Wire.readStrings(buf) : List.of(), buf.isReadable() ? Wire.readString(buf) : null,
                buf.isReadable() && buf.readBoolean(), buf.isReadable() && buf.readBoolean());
    }
}
