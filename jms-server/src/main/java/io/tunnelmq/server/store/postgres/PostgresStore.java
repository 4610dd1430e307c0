package io.tunnelmq.server.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.SharedClientIds;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.SharedSubscriptions;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreFigures;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoreThreads;
import io.tunnelmq.server.store.StoreVisitor;
import io.tunnelmq.server.store.StoredQueue;
import io.tunnelmq.server.store.journal.SyncTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import static io.tunnelmq.server.store.StoreThreads.daemon;

/**
 * The persistent store in a PostgreSQL database ({@code store=postgresql}): a row per message, subscription, temporary
 * destination, producer of the duplicate window and client ID in use (schema migrated at open: {@link
 * SchemaMigrations}), shared by every broker over the database ({@link SharedQueues}): messages stay in the database
 * until a broker claims them.
 *
 * <p>Threads, none of them the caller's: one writer group-commits writes and hand-backs ({@link GroupCommitter});
 * {@value #CLAIMERS} claimers ({@link QueueClaims}, and the hunger a broker says: {@link Wakeups}); a reader for paging,
 * browsing ({@link QueueBrowse}), look-ups ({@link StoredLookups}), purges ({@link QueuePurges}), named subscriptions'
 * holds ({@link SharedSubscriptionRows}) and client IDs ({@link ClientIdRows}); the heartbeat
 * ({@link Membership}), which also takes the next block of store ids ({@link IdBlocks}), and its watchdog
 * ({@link Fencing}); the wake-up listener ({@link WakeListener}, with a connection of its own). The others take their
 * connections from the pool (HikariCP).
 */
public final class PostgresStore implements MessageStore, SharedQueues {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);

    /** Claim threads: claims of different queues overlap their round trips. */
    static final int CLAIMERS = 2;
    /** How long the close waits for each of its executors' work before interrupting it. */
    private static final long SHUTDOWN_WAIT_MILLIS = 10_000;

    private final HikariDataSource dataSource;
    private final PostgresSettings settings;
    private final String identity;
    private final UUID brokerId = UUID.randomUUID();
    private final GroupCommitter writer;
    private final ExecutorService readers;
    private final ExecutorService claimers;
    private final ScheduledExecutorService heartbeat;
    private final ScheduledExecutorService watchdog;
    private final Fencing fencing;
    /** Package-private for tests ({@link QueueClaims#loseAnswers}). */
    final QueueClaims claims;
    private final QueueBrowse browser;
    private final Membership membership;
    private volatile StoreIds ids;
    private final Wakeups wakeups;
    private final StoredLookups lookups;
    private final QueuePurges purges;
    private final SharedSubscriptionRows sharedSubscriptions;
    private final ClientIdRows clientIds;
    private final AtomicBoolean recovered = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final WriteWatch writes;

    private PostgresStore(HikariDataSource dataSource, PostgresSettings settings, String address, String identity) {
        this.dataSource = dataSource;
        this.settings = settings;
        String where = settings.where();
        this.identity = identity;
        this.writer = new GroupCommitter(dataSource, where, brokerId);
        this.writes = new WriteWatch(where, closed::get);
        this.readers = Executors.newSingleThreadExecutor(daemon("tunnelmq-postgresql-reader"));
        this.claimers = Executors.newFixedThreadPool(CLAIMERS, daemon("tunnelmq-postgresql-claimer"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("tunnelmq-postgresql-heartbeat"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("tunnelmq-postgresql-fence"));
        this.fencing = new Fencing(settings, System::nanoTime);
        // a lease lasts, for all the others know, until a reaper may take it back
        this.claims = new QueueClaims(dataSource, claimers, brokerId, settings.staleMillis(), where);
        this.browser = new QueueBrowse(dataSource, readers, where, brokerId);
        ReaderCalls reader = new ReaderCalls(dataSource, readers, where);
        this.lookups = new StoredLookups(reader);
        this.purges = new QueuePurges(reader, brokerId);
        this.sharedSubscriptions = new SharedSubscriptionRows(reader, brokerId);
        this.wakeups = new Wakeups(settings, dataSource, claimers, brokerId);
        this.clientIds = new ClientIdRows(reader, brokerId, wakeups);
        this.membership = new Membership(dataSource, brokerId, address == null ? "(unnamed) " + brokerId : address,
                settings, heartbeat, watchdog, fencing);
    }

    /**
     * Connects, migrates the schema, reads the store's identity, takes a first block of store ids and joins the brokers
     * over the database (registered without an address: see {@link #open(PostgresSettings, String)}).
     *
     * @throws StoreException naming the database (never the password) and what to check if it cannot be reached or
     *     its schema cannot be brought up to date
     */
    public static PostgresStore open(PostgresSettings settings) {
        return open(settings, null, 10_000);
    }

    /**
     * As {@link #open(PostgresSettings)}, for a broker reached at {@code address} (host:port): a broker registered at
     * the same address is this broker's previous run, and the messages it held are handed on at once.
     */
    public static PostgresStore open(PostgresSettings settings, String address) {
        return open(settings, address, 10_000);
    }

    /** As {@link #open(PostgresSettings)}, waiting at most {@code connectionTimeoutMillis} for a connection (tests). */
    static PostgresStore open(PostgresSettings settings, long connectionTimeoutMillis) {
        return open(settings, null, connectionTimeoutMillis);
    }

    static PostgresStore open(PostgresSettings settings, String address, long connectionTimeoutMillis) {
        String where = settings.where();
        DatabaseOpening.Opened opened = DatabaseOpening.open(settings, connectionTimeoutMillis);
        HikariDataSource dataSource = opened.dataSource();
        String identity = opened.identity();
        PostgresStore store = new PostgresStore(dataSource, settings, address, identity);
        try {
            store.ids = StoreIds.inBlocks(new IdBlocks(dataSource, where), IdBlocks.SIZE, store.heartbeat);
            store.membership.join();
            return store;
        } catch (SQLException | RuntimeException e) {
            store.stop(false);
            throw new StoreException("cannot open the PostgreSQL store at " + where + ": " + DatabaseOpening.rootMessage(e), e);
        }
    }

    @Override
    public CompletableFuture<Void> write(List<StoreOp> ops) {
        return writes.watch(writer.submit(ops, false));
    }

    /** Rides with the next group commit; a group of lazy batches alone commits without waiting for the WAL flush. */
    @Override
    public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
        return writes.watch(writer.submit(ops, true));
    }

    /**
     * Streams the durable subscriptions and producers through cursors on one connection; messages are not recovered
     * but {@linkplain #claim claimed}, by whichever broker has consumers for them.
     *
     * @throws StoreException naming the database if the rows cannot be read back
     */
    @Override
    public void recover(StoreVisitor visitor) {
        if (!recovered.compareAndSet(false, true)) {
            return;
        }
        StoredRows.recover(dataSource, settings.where(), visitor);
    }

    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds) {
        return read(storeIds, Runnable::run);
    }

    /** Fetches on the reader thread, decodes on {@code executor}. */
    @Override
    public CompletableFuture<WireMessage[]> read(long[] storeIds, Executor executor) {
        return StoredRows.read(dataSource, readers, settings.where(), storeIds, executor);
    }

    @Override
    public String brokerId() {
        return brokerId.toString();
    }

    @Override
    public StoreIds ids() {
        return ids;
    }

    /** Claims on a claimer thread with a pooled connection, decodes on {@code executor}. */
    @Override
    public CompletableFuture<Claims> claim(StoredQueue queue, int max, long nowMillis, Executor executor) {
        return claims.claim(queue, max, nowMillis, executor);
    }

    @Override
    public CompletableFuture<List<Expired>> claimExpired(int max, long nowMillis, Executor executor) {
        return claims.claimExpired(max, nowMillis, executor);
    }

    /** Reads on the reader thread (with paging's reads back), decodes on {@code executor}. */
    @Override
    public CompletableFuture<BrowseRows> browse(StoredQueue queue, long fromKey, int max, long nowMillis,
                                                Executor executor) {
        return browser.browse(queue, fromKey, max, nowMillis, executor);
    }

    /** Through the writer: after every write submitted before it, in a transaction that wakes the other brokers. */
    @Override
    public CompletableFuture<Integer> release(StoredQueue queue, List<Released> released) {
        if (released.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return writes.watch(writer.release(queue, released, brokerId));
    }

    @Override
    public void listen(Consumer<StoredQueue> wake) {
        wakeups.listen(wake);
    }

    @Override
    public void listenSubscriptions(LongConsumer changed) {
        wakeups.listenSubscriptions(changed);
    }

    @Override
    public void listenFenced(Runnable fenced) {
        fencing.listen(fenced);
    }

    @Override
    public boolean serving() {
        return fencing.serving();
    }

    @Override
    public String problem() {
        if (!serving()) {
            return "fenced: this broker no longer serves as one of the brokers over the database";
        }
        return writes.failing() ? "the PostgreSQL store's writes fail" : null;
    }

    @Override
    public CompletableFuture<PurgeResult> purge(StoredQueue queue) {
        return purges.purge(queue);
    }

    @Override
    public void listenPurged(Consumer<Purged> purged) {
        wakeups.listenPurged(purged);
    }

    @Override
    public CompletableFuture<HeldBefore> heldBefore(StoredQueue queue, long before) {
        return purges.heldBefore(queue, before);
    }

    @Override
    public void listenHungry(Consumer<StoredQueue> hungry) {
        wakeups.listenHungry(hungry);
    }

    @Override
    public void hungry(StoredQueue queue) {
        if (!closed.get()) {
            wakeups.hungry(queue);
        }
    }

    @Override
    public CompletableFuture<StoredProducer> producer(UUID producerId) {
        return lookups.producer(producerId);
    }

    @Override
    public CompletableFuture<DurableSubscription> subscription(long id) {
        return lookups.subscription(id);
    }

    @Override
    public SharedSubscriptions subscriptions() {
        return sharedSubscriptions;
    }

    @Override
    public SharedClientIds clientIds() {
        return clientIds;
    }

    @Override
    public CompletableFuture<Void> seenElsewhere(StoredQueue queue, List<String> messageIds) {
        return claims.seenElsewhere(queue, messageIds);
    }

    @Override
    public CompletableFuture<Void> undecline(StoredQueue queue) {
        return claims.undecline(queue);
    }

    @Override
    public CompletableFuture<Backlog> backlog() {
        return lookups.backlog();
    }

    @Override
    public CompletableFuture<Map<Long, DurableSubscription>> durableSubscriptions() {
        return lookups.durableSubscriptions();
    }

    /** Made with the schema (the row of {@code tmq_store}): the same for every broker over this database. */
    @Override
    public String identity() {
        return identity;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    /**
     * What the broker wrote; the database's own size and free space are the database's to watch, so the disk limit
     * the broker derives from the figures is no limit (set maxDiskBytes for the page file).
     */
    @Override
    public StoreFigures figures() {
        return new StoreFigures(true, 0, writer.bytesWritten(), SyncTimes.Snapshot.NONE, Long.MAX_VALUE / 4);
    }

    /** Transactions committed since the store opened (each holds one or more callers' batches). */
    public long commits() {
        return writer.commits();
    }

    /**
     * Stops claiming, commits what is queued, then hands this broker's messages back to the others and leaves the
     * brokers over the database. Once fenced ({@link #listenFenced}) it ends its database calls at once instead, and
     * leaves its messages to the others' reaping.
     */
    @Override
    public void close() {
        stop(true);
    }

    /** Stops as a broker that died would: its row and leases stay for the others to reap (tests). */
    void kill() {
        stop(false);
    }

    private void stop(boolean leave) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean fenced = fencing.fenced();
        if (fenced) {
            // calls hung on a stalled network end with the pool's close (beside the rest: it first waits out connection
            // attempts under way), waits for a connection with the interrupts (a beat's too: the others reap this one)
            daemon("tunnelmq-postgresql-close").newThread(dataSource::close).start();
            claimers.shutdownNow();
            heartbeat.shutdownNow();
            writer.abort();
        }
        StoreThreads.shutdown(claimers, SHUTDOWN_WAIT_MILLIS);
        writer.close();
        // no beat after the leave: it would join again
        StoreThreads.shutdown(heartbeat, SHUTDOWN_WAIT_MILLIS);
        StoreThreads.shutdown(watchdog, SHUTDOWN_WAIT_MILLIS);
        if (leave && !fenced) {
            try {
                membership.leave();
            } catch (SQLException | RuntimeException e) {
                log.warn("PostgreSQL store at {}: could not hand this broker's messages back at close (the other"
                        + " brokers take them after postgresql.staleMillis={} ms): {}", settings.where(),
                        settings.staleMillis(), e.getMessage());
            }
        }
        wakeups.close();
        readers.shutdown();
        dataSource.close();
    }

    @Override
    public String toString() {
        return "PostgreSQL store at " + settings.where();
    }
}
