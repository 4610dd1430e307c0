package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.pages.PagedMessages;

import java.util.Objects;

/**
 * The broker's stores and id issuer: persistent messages go to {@code persistent} (the journal, or a
 * {@link MemoryStore} when the broker runs without a data directory); non-persistent ones to the memory store, which
 * keeps nothing.
 *
 * @param persistent    the store of persistent messages and durable subscriptions
 * @param ids           the broker-wide store id issuer
 * @param pages         where queues page messages out of memory ({@link PagedMessages#NONE}: they do not)
 * @param diskLimitBytes the most bytes of messages kept on disk (stored or paged out) before producers wait
 * @param shared        the queues this broker shares with other brokers over {@code persistent}, or null when it
 *                      shares none: then every message on a durable destination is stored there, persistent or not
 *                      (other brokers' consumers can only claim what is in the store)
 */
public record Storage(MessageStore persistent, StoreIds ids, PagedMessages pages, long diskLimitBytes,
                      SharedQueues shared) {
    private static final MessageStore MEMORY = new MemoryStore();

    public Storage {
        Objects.requireNonNull(persistent, "persistent");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(pages, "pages");
        if (diskLimitBytes <= 0) {
            throw new IllegalArgumentException("disk limit must be > 0 bytes, was " + diskLimitBytes);
        }
    }

    /** Stores no other broker shares. */
    public Storage(MessageStore persistent, StoreIds ids, PagedMessages pages, long diskLimitBytes) {
        this(persistent, ids, pages, diskLimitBytes, null);
    }

    /** Stores that do not page, with no disk limit. */
    public Storage(MessageStore persistent, StoreIds ids) {
        this(persistent, ids, PagedMessages.NONE, Long.MAX_VALUE);
    }

    /** A broker that keeps everything in memory. */
    public static Storage memory() {
        return new Storage(MEMORY, new StoreIds());
    }

    /** The store a message belongs in, by its delivery mode. */
    public MessageStore storeFor(WireMessage message) {
        return message.persistent() || shared != null ? persistent : MEMORY;
    }

    /** Whether a message on a durable destination is written anywhere (and so needs a store id). */
    public boolean stores(WireMessage message) {
        return storeFor(message).persistent();
    }
}
