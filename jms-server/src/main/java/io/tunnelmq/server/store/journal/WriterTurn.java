package io.tunnelmq.server.store.journal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Who writes to the journal now: the writer thread, for each group and task it takes on, or a thread appending to an
 * idle journal that writes its own record ({@link JournalWriter}). One holder at a time; taking the turn (a CAS) and
 * giving it back (a volatile write) order each holder's changes to the journal's state before the next holder's.
 * The writer closes it for good when it stops, after any holder gave it back.
 */
final class WriterTurn {
    private static final int FREE = 0;
    private static final int HELD = 1;
    private static final int CLOSED = 2;

    private final AtomicInteger holder = new AtomicInteger(FREE);

    /** Takes the turn if nobody holds it and it is not closed. */
    boolean take() {
        return holder.get() == FREE && holder.compareAndSet(FREE, HELD);
    }

    /** Gives the turn back; only its holder calls this. */
    void give() {
        holder.set(FREE);
    }

    /** Waits for the holder, if any, to give the turn back, then closes it: nobody takes it again. Idempotent. */
    void close() {
        while (holder.get() != CLOSED && !holder.compareAndSet(FREE, CLOSED)) {
            LockSupport.parkNanos(this, 50_000); // a holder writes one record: a write and an fsync at most
        }
    }
}
