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

    /** Opens a log in a directory, reporting every live record in the order it was first added before returning. */
    @FunctionalInterface
    interface Opener {
        /** @throws IOException naming the directory and what is wrong with it */
        RecordLog open(Path directory, Consumer<Recovered> recovered) throws IOException;
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
