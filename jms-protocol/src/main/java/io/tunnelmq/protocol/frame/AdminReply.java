package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.Wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer to an {@link AdminRequest} (channel 0): a table of strings, an absent value as {@code ""}.
 *
 * @param columns the column names
 * @param rows    the rows, each with one value per column
 */
public record AdminReply(long requestId, List<String> columns, List<List<String>> rows) implements Frame {

    public AdminReply {
        Frames.requireRequestId(requestId);
        columns = List.copyOf(columns);
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("admin reply row has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    @Override
    public int channel() {
        return Protocol.CONTROL_CHANNEL;
    }

    @Override
    public FrameType type() {
        return FrameType.ADMIN_REPLY;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeLong(requestId);
        Wire.writeStrings(buf, columns);
        buf.writeInt(rows.size());
        for (List<String> row : rows) {
            Wire.writeStrings(buf, row);
        }
    }

    static AdminReply read(int channel, ByteBuf buf) {
        long requestId = buf.readLong();
        List<String> columns = Wire.readStrings(buf);
        int count = buf.readInt();
        // every row takes at least its 4-byte count
        if (count < 0 || (long) count * Integer.BYTES > buf.readableBytes()) {
            throw malformed("admin reply of " + count + " rows exceeds the frame");
        }
        List<List<String>> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> row = Wire.readStrings(buf);
            if (row.size() != columns.size()) {
                throw malformed("admin reply row " + i + " has " + row.size() + " values for " + columns.size()
                        + " columns");
            }
            rows.add(row);
        }
        if (requestId <= 0) {
            throw malformed("admin reply id must be > 0, was " + requestId);
        }
        return new AdminReply(requestId, columns, rows);
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED_FRAME, Objects.requireNonNull(message));
    }
}
