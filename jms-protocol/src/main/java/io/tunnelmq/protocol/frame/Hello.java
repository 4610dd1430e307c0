package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;

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
 * @param options         further connection options (for example the lock duration); never null
 */
public record Hello(int version, String clientId, String user, String password, int heartbeatMillis,
                    Map<String, Object> options) implements Frame {

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
                buf.readInt(), Wire.readMap(buf));
    }

    @Override
    public String toString() {
        return "Hello[version=" + version + ", clientId=" + clientId + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", heartbeatMillis=" + heartbeatMillis
                + ", options=" + options + "]";
    }
}
