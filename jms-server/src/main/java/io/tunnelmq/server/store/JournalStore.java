package io.tunnelmq.server.store;

import io.tunnelmq.protocol.FailureStreak;
import io.tunnelmq.protocol.message.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The persistent store: every batch becomes ONE record of a {@link RecordLog} (the embedded journal), encoded by
 * {@link StoreCodec}; a delivery count is the annotation of its message's record. The first failed write is logged
 * at ERROR (a full disk says so once, not once per message), and a later success is logged when writes recover.
 * Recovery streams the log's records to the visitor, and {@link #read} reads paged messages back by store id.
 */
public final class JournalStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(JournalStore.class);

    private final RecordLog recordLog;
    private final String where;
    private final String identity;
    private final FailureStreak writes = new FailureStreak();
    /** Set once {@link #recover} ran (or there is nothing to recover): the log is replayed once. */
    private final AtomicBoolean recovered;

    private JournalStore(RecordLog recordLog, String where, String identity, boolean recovered) {
        this.recordLog = recordLog;
        this.identity = identity;
        this.where = where;
        this.recovered = new AtomicBoolean(recovered);
    }

    /**
     * Opens the log in {@code directory}; {@link #recover} then reads what it holds.
     *
     * @throws IOException naming the directory and the problem if the log cannot be opened
     */
    public static JournalStore open(RecordLog.Opener opener, Path directory) throws IOException {
        RecordLog recordLog = opener.open(directory);
        String identity;
        try {
            identity = StoreIdentity.of(directory); // under the journal's lock: one broker makes it
        } catch (IOException | RuntimeException e) {
            recordLog.close();
            throw e;
        }
        return new JournalStore(recordLog, directory.toString(), identity, false);
    }

    /** A store over a log that is already open and holds nothing to recover (tests); a new identity. */
    public static JournalStore over(RecordLog recordLog) {
        return new JournalStore(recordLog, recordLog.toString(), java.util.UUID.randomUUID().toString(), true);
    }

    @Override
    public CompletableFuture<Void> write(List<StoreOp> ops) {
        return watch(recordLog.append(toLogOps(ops)));
    }

    @Override
    public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
        return watch(recordLog.appendLazily(toLogOps(ops)));
    }

    /**
     * Streams the log's records to the visitor as they are read back (the log reads ahead a batch of a few MiB): the
     * heap holds what the visitor keeps, not the whole journal.
     *
     * @throws StoreException naming the directory if the records cannot be read back, or the record id if one cannot
     *     be decoded
     */
    @Override
    public void recover(StoreVisitor visitor) {
        if (!recovered.compareAndSet(false, true)) {
            return;
        }
        try {
            recordLog.replay(r -> StoreCodec.decode(r.id(), r.data(), r.annotation(), visitor));
        } catch (IOException e) {
            throw new StoreException("cannot read the stored messages back from " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes on the thread that completes the log's read (the journal's writer thread): decoding is a copy of the
     * bytes, cheaper than handing the work to another thread.
     */
    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds) {
        return read(storeIds, Runnable::run);
    }

    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds, Executor executor) {
        return MessageReads.decoded(() -> recordLog.read(storeIds), storeIds, where, (id, data) -> {
            try {
                return StoreCodec.decodeMessage(id, data);
            } catch (StoreException bad) {
                throw new StoreException(bad.getMessage() + " (in " + where + ")", bad);
            }
        }, executor);
    }

    /** Kept in the data directory ({@link StoreIdentity}): stable across restarts. */
    @Override
    public String problem() {
        return writes.failing() ? "the journal's writes fail" : null;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public StoreFigures figures() {
        return recordLog.figures();
    }

    @Override
    public void close() {
        recordLog.close();
    }

    @Override
    public String toString() {
        return "journal store in " + where;
    }

    private CompletableFuture<Void> watch(CompletableFuture<Void> append) {
        // callers get a StoreException with a message a client can read, whatever the log threw
        return append.handle((v, e) -> {
            if (e == null) {
                if (writes.succeeded()) {
                    log.info("message store in {}: writes succeed again", where);
                }
                return null;
            }
            Throwable cause = Failures.cause(e);
            if (writes.failed()) {
                log.error("message store in {}: a write failed; persistent sends and commits are refused until writes"
                        + " succeed again (is the disk full or the directory unwritable?)", where, cause);
            } else {
                log.debug("message store in {}: a write failed: {}", where, cause.toString());
            }
            throw cause instanceof StoreException se ? se : new StoreException("the broker could not store the"
                    + " message durably (" + cause.getMessage() + " in " + where + "); nothing of it was stored", cause);
        });
    }

    static List<RecordLog.Op> toLogOps(List<StoreOp> ops) {
        List<RecordLog.Op> out = new ArrayList<>(ops.size());
        WireMessage lastMessage = null;
        byte[] lastEncoded = null;
        for (StoreOp op : ops) {
            if (op instanceof StoreOp.AddMessage add) {
                if (add.message() != lastMessage) {
                    // copies of one message for several subscriptions follow each other: encode it once
                    lastMessage = add.message();
                    lastEncoded = StoreCodec.encodeMessage(lastMessage);
                }
                out.add(new RecordLog.Add(add.id(), StoreCodec.messageRecord(add.queue(), lastEncoded)));
            } else if (op instanceof StoreOp.RemoveMessage remove) {
                out.add(new RecordLog.Delete(remove.id()));
            } else if (op instanceof StoreOp.SetDeliveryCount count) {
                out.add(new RecordLog.Annotate(count.id(), StoreCodec.deliveryCount(count.deliveryCount())));
            } else if (op instanceof StoreOp.AddSubscription add) {
                out.add(new RecordLog.Add(add.id(), StoreCodec.subscriptionRecord(add.subscription())));
            } else if (op instanceof StoreOp.RemoveSubscription remove) {
                out.add(new RecordLog.Delete(remove.id()));
            } else if (op instanceof StoreOp.AddProducer add) {
                out.add(new RecordLog.Add(add.id(), StoreCodec.producerRecord(add.last(), add.storedAtMillis())));
            } else if (op instanceof StoreOp.SetProducerSequence set) {
                out.add(new RecordLog.Annotate(set.id(), StoreCodec.producerSequence(set.sequence(),
                        set.storedAtMillis())));
            } else if (op instanceof StoreOp.RemoveProducer remove) {
                out.add(new RecordLog.Delete(remove.id()));
            } else {
                throw new IllegalArgumentException("unknown store op " + Objects.requireNonNull(op));
            }
        }
        return out;
    }
}
