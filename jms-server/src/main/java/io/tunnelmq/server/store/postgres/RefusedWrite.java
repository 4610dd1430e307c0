package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.StoreException;

/**
 * One batch the database refused for its data (a constraint, a value, a name too long to index), committed alone after
 * its group failed: the store is fine and the other batches went in ({@link GroupCommitter}).
 */
final class RefusedWrite extends StoreException {
    private static final long serialVersionUID = 1L;

    RefusedWrite(String message, Throwable cause) {
        super(message, cause);
    }
}
