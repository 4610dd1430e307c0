package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The half of {@link MessageStore#read(long[], Executor)} every store shares: the store fetches the stored bytes of
 * the ids asked for (its own way, on its own thread), and they are decoded here on the caller's executor, with a
 * failure named after the store.
 */
public final class MessageReads {

    /** How a store's bytes of one message become the message (null: the record holds no message). */
    @FunctionalInterface
    public interface Decoder {
        /** @throws StoreException if the bytes are not what the store wrote */
        WireMessage decode(long storeId, byte[] bytes);
    }

    private MessageReads() {
    }

    /**
     * @param fetch   starts fetching: one entry per id in the order asked, null where the id holds nothing; may throw
     *                (the store is closed)
     * @param store   the store as a failure names it
     * @return completes on {@code executor} with the messages, or with a {@link StoreException} saying the read failed
     */
    public static CompletableFuture<WireMessage[]> decoded(Supplier<CompletableFuture<byte[][]>> fetch,
                                                           long[] storeIds, String store, Decoder decoder,
                                                           Executor executor) {
        CompletableFuture<byte[][]> fetching;
        try {
            fetching = fetch.get();
        } catch (RuntimeException e) {
            fetching = CompletableFuture.failedFuture(e);
        }
        return fetching.handleAsync((bytes, e) -> {
            if (e != null) {
                Throwable cause = Failures.cause(e);
                throw new StoreException("the broker could not read " + storeIds.length + " stored message(s) back"
                        + " from " + store + ": " + cause.getMessage(), cause);
            }
            WireMessage[] messages = new WireMessage[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != null) {
                    messages[i] = decoder.decode(storeIds[i], bytes[i]);
                }
            }
            return messages;
        }, executor);
    }
}
