package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;

/**
 * The broker's stores and id issuer: persistent messages go to {@code persistent} (the journal, or a
 * {@link MemoryStore} when the broker runs without a data directory); non-persistent ones to the memory store, which
 * keeps nothing.
 *
 * @param persistent the store of persistent messages and durable subscriptions
 * @param ids        the broker-wide store id issuer
 */
public record Storage(MessageStore persistent, StoreIds ids) {
    private static final MessageStore MEMORY = new MemoryStore();

    public Storage {
        Objects.requireNonNull(persistent, "persistent");
        Objects.requireNonNull(ids, "ids");
    }

    /** A broker that keeps everything in memory. */
    public static Storage memory() {
        return new Storage(MEMORY, new StoreIds());
    }

    /** The store a message belongs in, by its delivery mode. */
    public MessageStore storeFor(WireMessage message) {
        return message.persistent() ? persistent : MEMORY;
    }

    /** Whether a message on a durable destination is written anywhere (and so needs a store id). */
    public boolean stores(WireMessage message) {
        return storeFor(message).persistent();
    }
}
