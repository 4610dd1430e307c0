package io.tunnelmq.protocol.message;

import io.netty.buffer.ByteBuf;

import java.util.Objects;
import java.util.UUID;

/**
 * Who sent a persistent message and how many that producer sent before it: the broker stores a stamped message once
 * even if it arrives again (a resend after a lost confirmation), by remembering the highest sequence it stored per
 * producer for a while.
 *
 * @param producerId unique across clients and restarts (128 random bits)
 * @param sequence   grows by one with each stamped send of the producer, starting at 1
 */
public record ProducerStamp(UUID producerId, long sequence) {

    public ProducerStamp {
        Objects.requireNonNull(producerId, "producerId");
        if (sequence <= 0) {
            throw new IllegalArgumentException("producer sequence must be > 0, was " + sequence);
        }
    }

    public void write(ByteBuf buf) {
        buf.writeLong(producerId.getMostSignificantBits());
        buf.writeLong(producerId.getLeastSignificantBits());
        buf.writeLong(sequence);
    }

    public static ProducerStamp read(ByteBuf buf) {
        return new ProducerStamp(new UUID(buf.readLong(), buf.readLong()), buf.readLong());
    }
}
