package io.tunnelmq.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.destination.BrokerException;

/**
 * The largest message the broker accepts: one that still fits a frame once it travels back out in a Deliver
 * (whose header is larger than a Send's) and, if it is dead-lettered, with the reason properties added. A Send
 * frame just under the frame limit would otherwise be accepted but could never be delivered.
 */
final class MessageSizeLimit {
    /** Deliver's fixed fields: consumer id, lock token, delivery count, locked-until. */
    private static final int DELIVER_FIELDS = 4 + 8 + 4 + 8;
    /** Room for the dead-letter properties (reason, original destination, delivery count). */
    private static final int DEAD_LETTER_ROOM = 1024;

    private final int maxMessageBytes;

    MessageSizeLimit(int maxFrameSize) {
        this.maxMessageBytes = maxFrameSize - Protocol.HEADER_SIZE - DELIVER_FIELDS - DEAD_LETTER_ROOM;
    }

    /** @throws BrokerException {@code MESSAGE_TOO_LARGE} if the message is over the limit */
    void check(WireMessage message) {
        // the estimate counts two bytes a character where UTF-8 may need three: twice it is a safe bound
        if (2L * message.sizeEstimate() + 1024 < maxMessageBytes) {
            return;
        }
        int encoded = encodedSize(message);
        if (encoded > maxMessageBytes) {
            throw new BrokerException(ErrorCode.MESSAGE_TOO_LARGE, "message " + message.messageId() + " takes "
                    + encoded + " bytes on the wire; this broker accepts messages up to " + maxMessageBytes
                    + " bytes (its frame limit less room for delivery headers)");
        }
    }

    private static int encodedSize(WireMessage message) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            message.write(buf);
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }
}
