package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.StoredMessageEvents;
import io.tunnelmq.server.store.Storage;
import io.tunnelmq.server.store.StoreOp;

import java.util.List;

/** Delivery count changes and drops of stored messages, written lazily: losing one in a crash only repeats a delivery. */
final class LazyStoreEvents implements StoredMessageEvents {
    private final Storage storage;

    LazyStoreEvents(Storage storage) {
        this.storage = storage;
    }

    @Override
    public void deliveryCountChanged(long storeId, int deliveryCount) {
        storage.persistent().writeLazily(List.of(new StoreOp.SetDeliveryCount(storeId, deliveryCount)));
    }

    @Override
    public void dropped(long storeId) {
        storage.persistent().writeLazily(List.of(new StoreOp.RemoveMessage(storeId)));
    }
}
