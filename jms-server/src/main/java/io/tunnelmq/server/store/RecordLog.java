package io.tunnelmq.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An append-only log of records with ids: the little the {@link JournalStore} needs of the embedded journal, so the
 * store can be tested with fakes (in memory, fault-injecting) and the journal stays broker-agnostic. Semantics are
 * the journal's: each append is ONE atomic record of ops; a record's future completes on the log's thread.
 */
public interface RecordLog extends AutoCloseable {

    /** One op in an atomic record. Ids are > 0 and unique among live records. */
    sealed interface Op permits Add, Annotate, Delete {
    }

    /** A new live record. */
    record Add(long id, byte[] data) implements Op {
        public Add {
            Objects.requireNonNull(data, "data");
        }
    }

    /** Replaces the annotation of live record {@code id}; ignored at recovery if the record is dead. */
    record Annotate(long id, byte[] annotation) implements Op {
        public Annotate {
            Objects.requireNonNull(annotation, "annotation");
        }
    }

    /** Record {@code id} is dead. */
    record Delete(long id) implements Op {
    }

    /** A live record found at open: its Add data and latest annotation (null if never annotated). */
    record Recovered(long id, byte[] data, byte[] annotation) {
    }

    /** Opens a log in a directory; {@link #replay} then hands back what it holds. */
    @FunctionalInterface
    interface Opener {
        /** @throws IOException naming the directory and what is wrong with it */
        RecordLog open(Path directory) throws IOException;
    }

    /**
     * Hands every record that was live when the log was opened to {@code recovered}, in the order the records were
     * first added, one at a time on the calling thread, and returns when all were handed over; the log need not hold
     * them all in memory at once. At most once per open. {@code recovered} may append to the log meanwhile.
     *
     * @throws IOException naming the log's directory if the records cannot be read back
     */
    void replay(Consumer<Recovered> recovered) throws IOException;

    /**
     * Reads records back by id: the data of each id's live record (its Add's data), in the order asked, null where the
     * id is not live. Ask only for ids whose append has completed. Ask for a few hundred ids (a few MiB) at a time.
     *
     * @return completes on the log's thread, or exceptionally saying what failed; a log that cannot read records
     *     back (a test fake) fails it with an {@link UnsupportedOperationException}
     */
    default CompletableFuture<byte[][]> read(long[] ids) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(this + " cannot read records back"));
    }

    /** Appends ONE atomic record; completes once it is durable, or exceptionally. Never blocks. */
    CompletableFuture<Void> append(List<Op> ops);

    /** Appends ONE atomic record that rides with the next durable one; completes once written. Never blocks. */
    CompletableFuture<Void> appendLazily(List<Op> ops);

    /** Its figures for monitoring ({@link StoreFigures#NONE} for a log that reports none, such as a fake). */
    default StoreFigures figures() {
        return StoreFigures.NONE;
    }

    /** Makes pending records durable and releases the log. Idempotent. */
    @Override
    void close();
}
