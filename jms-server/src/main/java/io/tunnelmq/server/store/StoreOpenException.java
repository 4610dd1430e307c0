package io.tunnelmq.server.store;

/**
 * The persistent store could not be opened: its directory is unusable, another broker holds it, or its journal is
 * damaged. The broker does not start — running with empty queues and refusing persistent sends would be the worst of
 * both — and the message names the file, the offset and what to do (restore a backup, or start with
 * {@code --salvage}).
 */
public final class StoreOpenException extends RuntimeException {

    public StoreOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
