package io.tunnelmq.protocol.frame;

import io.netty.buffer.ByteBuf;

/**
 * Grants a consumer more delivery credit. The client sends it as the application takes messages, so the
 * broker never delivers more than the consumer's prefetch ahead of the application.
 *
 * <p>Flags (trailing optional field, 0 from older peers):
 * <ul>
 *   <li>{@link #SET}: the consumer's credit becomes exactly {@code messages} and {@code bytes} instead of growing
 *       by them; {@code Credit(SET, 0, 0)} stops deliveries (a stopped connection) without closing the consumer.
 *   <li>{@link #WAITING}: the application waits on an empty buffer (a blocked receive, an idle listener). A
 *       consumer that gave prefetched messages back unseen (revocation, a lock that expired in its buffer) gets
 *       nothing more until it says so, by this flag or by any later credit.
 * </ul>
 * Without {@code SET}, a credit adds messages or bytes, or carries {@code WAITING}.
 *
 * @param messages how many more messages the broker may deliver (with {@code SET}: how many in all)
 * @param bytes    how many more bytes the broker may deliver, for a consumer created with a byte credit; 0 adds
 *                 none (trailing optional field)
 * @param flags    {@link #SET} and {@link #WAITING} (trailing optional field)
 */
public record Credit(int channel, int consumerId, int messages, long bytes, int flags) implements Frame {

    /** The credit replaces the consumer's credit rather than adding to it. */
    public static final int SET = 1;
    /** The application waits on an empty buffer. */
    public static final int WAITING = 2;

    public Credit {
        Frames.requireSessionChannel(channel);
        Frames.requireConsumerId(consumerId);
        if ((flags & ~(SET | WAITING)) != 0) {
            throw new IllegalArgumentException("unknown credit flags " + flags);
        }
        if (messages < 0 || bytes < 0
                || (messages == 0 && bytes == 0 && (flags & (SET | WAITING)) == 0)) {
            throw new IllegalArgumentException("credit must add messages or bytes and never be negative, was "
                    + messages + " messages, " + bytes + " bytes");
        }
    }

    /** Credit in messages and bytes, added to what the consumer has. */
    public Credit(int channel, int consumerId, int messages, long bytes) {
        this(channel, consumerId, messages, bytes, 0);
    }

    /** Credit in messages only. */
    public Credit(int channel, int consumerId, int messages) {
        this(channel, consumerId, messages, 0L);
    }

    /** Whether the credit replaces the consumer's credit ({@link #SET}). */
    public boolean isSet() {
        return (flags & SET) != 0;
    }

    /** Whether the application waits on an empty buffer ({@link #WAITING}). */
    public boolean isWaiting() {
        return (flags & WAITING) != 0;
    }

    @Override
    public FrameType type() {
        return FrameType.CREDIT;
    }

    @Override
    public void writeBody(ByteBuf buf) {
        buf.writeInt(consumerId);
        buf.writeInt(messages);
        buf.writeLong(bytes);
        buf.writeByte(flags);
    }

    static Credit read(int channel, ByteBuf buf) {
        int consumerId = buf.readInt();
        int messages = buf.readInt();
        long bytes = buf.isReadable() ? buf.readLong() : 0L;
        int flags = buf.isReadable() ? buf.readUnsignedByte() : 0;
        return new Credit(channel, consumerId, messages, bytes, flags);
    }
}
