package io.tunnelmq.server.store.journal;

import java.io.IOException;

/**
 * The journal could not do what was asked: the directory is unusable, a segment is corrupt, a write or an fsync
 * failed, or the journal is closed or failed. The message says which file and what to do.
 */
public class JournalException extends IOException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
