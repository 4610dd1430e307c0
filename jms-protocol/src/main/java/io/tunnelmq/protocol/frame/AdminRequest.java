package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks the broker to run a management operation (channel 0), once logged in; the user needs the {@code admin}
 * permission when the broker checks permissions. Answered by {@link AdminReply}, or {@link ErrorFrame} saying why
 * not ({@code NOT_AUTHORIZED}, {@code INVALID_DESTINATION}, {@code INVALID_SELECTOR}, ...).
 *
 * @param operation the operation
 * @param arguments its arguments by name (see {@link AdminOperation}); never null, no null keys or values
 */
public record AdminRequest(long requestId, AdminOperation operation, Map<String, String> arguments) implements Frame {

    public AdminRequest {
        Frames.requireRequestId(requestId);
        Objects.requireNonNull(operation, "operation");
        Map<String, String> copy = new LinkedHashMap<>();
        (arguments == null ? Map.<String, String>of() : arguments).forEach((k, v) -> copy.put(
                Objects.requireNonNull(k, "argument name"), Objects.requireNonNull(v, "argument " + k)));
        arguments = Collections.unmodifiableMap(copy);
    }

    /** An argument, or null if it was not given. */
    public String argument(String name) {
        return arguments.get(name);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.ADMIN_REQUEST;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        buf.writeByte(operation.code());
        Wire.writeStrings(buf, new ArrayList<>(arguments.keySet()));
        Wire.writeStrings(buf, new ArrayList<>(arguments.values()));
    }

    static AdminRequest read(int channel, ByteBuf buf) {
        long requestId = buf.readLong();
        AdminOperation operation = AdminOperation.of(buf.readUnsignedByte());
        List<String> names = Wire.readStrings(buf);
        List<String> values = Wire.readStrings(buf);
        if (names.size() != values.size()) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "admin request with " + names.size()
                    + " argument names and " + values.size() + " values");
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (arguments.put(names.get(i), values.get(i)) != null) {
                throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "admin request names argument '"
                        + names.get(i) + "' twice");
            }
        }
        if (requestId <= 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "admin request id must be > 0, was " + requestId);
        }
        return new AdminRequest(requestId, operation, arguments);
    }
}
