package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.FailureStreak;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Hears the other brokers' wake-ups: a connection of its own (outside the pool: it stays open and listening) runs
 * {@code LISTEN tmq_messages}, and a daemon thread polls it and hands each payload to the listener. A lost connection
 * is opened again with back-off; wake-ups sent meanwhile are lost, so once it listens again (and once it first
 * listens, covering the time before) the listener hears "any queue". A listener of wake-ups or of subscriptions set
 * once it listens (the first one set starts it, the others follow) hears "any" on the next poll, as it missed the
 * first. A connection whose database stops answering (a stalled network, a path that changed under it) is asked
 * something every {@link #checkNanos} and given up after staleMillis without an answer, then opened again, rather than
 * waiting out the kernel's retransmissions (a quarter of an hour) deaf to every wake-up.
 */
final class WakeListener {
    private static final Logger log = LoggerFactory.getLogger(WakeListener.class);
    /** As the database lists the connection (pg_stat_activity). */
    static final String APPLICATION_NAME = "TunnelMQ broker wake-ups";
    private static final int POLL_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** How long a connection may take to log in: a database that never answers (a stalled network) is tried again. */
    private static final long LOGIN_TIMEOUT_MILLIS = 10_000;
    /** The longest time between two questions on a quiet connection. */
    private static final long MAX_CHECK_MILLIS = 5_000;

    private final PostgresSettings settings;
    /** How often a quiet connection is asked something: at most half of staleMillis. */
    private final long checkNanos;
    private final Thread thread;
    private volatile Consumer<StoredQueue> wake;
    private volatile Consumer<StoredQueue> hungry = queue -> { };
    private volatile Consumer<SharedQueues.Purged> purged = purge -> { };
    /** The position of the latest purge told (heard or read): one made while nobody listened is read after it. */
    private volatile long purgesTold;
    private volatile LongConsumer subscriptions = id -> { };
    private volatile Consumer<String> takenOver = connectionId -> { };
    /**
     * "Any queue" and "any subscription" are owed: the connection listens anew (wake-ups were missed meanwhile), or a
     * listener of either was set since they were last told.
     */
    private volatile boolean anyOwed;
    /** This broker's hunger payloads come back to it too: ignored by this prefix. */
    private final String ownHunger;
    /** This broker's purge notices come back to it too: ignored (it dropped its share as it purged). */
    private final String ownPurges;
    /** The takeovers of this broker's client IDs begin so; those of the other brokers' are theirs. */
    private final String ownTakeovers;
    private volatile boolean closed;
    /** The connection listening now, for close() to end its poll. */
    private volatile Connection current;

    WakeListener(PostgresSettings settings, String brokerId, Consumer<StoredQueue> wake) {
        this.settings = settings;
        this.checkNanos = Math.min(MAX_CHECK_MILLIS, settings.staleMillis() / 2) * 1_000_000;
        this.ownHunger = QueueKeys.HUNGRY + brokerId + QueueKeys.SEPARATOR;
        this.ownPurges = QueueKeys.purgesBy(brokerId);
        this.ownTakeovers = QueueKeys.TAKEN_OVER + brokerId + QueueKeys.SEPARATOR;
        this.wake = wake;
        this.thread = new Thread(this::run, "tunnelmq-postgresql-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Replaces the listener. */
    void listener(Consumer<StoredQueue> newWake) {
        wake = newWake;
        anyOwed = true;
    }

    /** Replaces the listener of durable subscriptions made or removed. */
    void subscriptionListener(LongConsumer newSubscriptions) {
        subscriptions = newSubscriptions;
        anyOwed = true;
    }

    /** Replaces the listener of purges (every broker's, this one's too). */
    void purgeListener(Consumer<SharedQueues.Purged> newPurged) {
        purged = newPurged;
    }

    /** Replaces the listener of client IDs of this broker's connections taken over through other brokers. */
    void takeoverListener(Consumer<String> newTakenOver) {
        takenOver = newTakenOver;
    }

    /** Replaces the listener of other brokers' hunger. */
    void hungerListener(Consumer<StoredQueue> newHungry) {
        hungry = newHungry;
    }

    void close() {
        closed = true;
        Connection listening = current;
        if (listening != null) {
            try {
                listening.abort(Runnable::run); // ends a poll in progress now, not at its timeout
            } catch (SQLException | RuntimeException e) {
                log.debug("closing the wake-up connection: {}", e.toString());
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long backoff = 100;
        FailureStreak connected = new FailureStreak();
        while (!closed) {
            try (Connection connection = DriverManager.getConnection(settings.url(), properties())) {
                current = connection;
                if (closed) {
                    break; // closed while it connected: close() did not see this connection
                }
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + QueueKeys.CHANNEL);
                }
                if (connected.succeeded()) {
                    log.info("PostgreSQL store at {}: listening to the other brokers' wake-ups again",
                            settings.where());
                }
                backoff = 100;
                purgesSince(connection);
                anyOwed = true; // any queue and any subscription may have changed while nobody listened
                PGConnection listening = connection.unwrap(PGConnection.class);
                long checked = System.nanoTime();
                while (!closed) {
                    if (System.nanoTime() - checked > checkNanos) {
                        // a connection the network dropped without a word would stay silent: ask it something
                        try (Statement s = connection.createStatement()) {
                            s.execute("SELECT 1");
                        }
                        checked = System.nanoTime();
                    }
                    if (anyOwed) {
                        anyOwed = false; // before telling: a listener set meanwhile is owed them again
                        tell(null);
                        subscriptionsChanged(0);
                    }
                    PGNotification[] notifications = listening.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            heard(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (connected.failed()) {
                    log.warn("PostgreSQL store at {}: lost the connection that hears the other brokers' wake-ups"
                            + " ({}); connecting again", settings.where(), e.getMessage());
                } else {
                    log.debug("PostgreSQL store at {}: listening failed again: {}", settings.where(), e.toString());
                }
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        if (settings.user() != null) {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("loginTimeout", DatabaseOpening.driverSeconds(LOGIN_TIMEOUT_MILLIS));
        // a read longer than this fails; a wait for notifications sets a timeout of its own (POLL_MILLIS)
        properties.setProperty("socketTimeout", DatabaseOpening.driverSeconds(settings.staleMillis()));
        return properties;
    }

    private void heard(String payload) {
        if (payload.startsWith(QueueKeys.SUBSCRIPTION)) {
            try {
                subscriptionsChanged(Long.parseLong(payload.substring(QueueKeys.SUBSCRIPTION.length())));
            } catch (NumberFormatException e) {
                log.debug("ignored the wake-up {}", payload);
            }
        } else if (payload.startsWith(QueueKeys.TAKEN_OVER)) {
            if (payload.startsWith(ownTakeovers)) {
                String connectionId = payload.substring(ownTakeovers.length());
                hand(takenOver, connectionId, "client ID takeovers", connectionId);
            }
        } else if (payload.startsWith(QueueKeys.PURGED)) {
            SharedQueues.Purged purge = payload.startsWith(ownPurges) ? null : QueueKeys.purge(payload);
            if (purge != null) {
                told(purge);
            }
        } else if (!payload.startsWith(QueueKeys.HUNGRY)) {
            tell(QueueKeys.queue(payload));
        } else if (!payload.startsWith(ownHunger)) {
            StoredQueue queue = QueueKeys.queue(payload.substring(payload.indexOf(QueueKeys.SEPARATOR) + 1));
            if (queue != null) {
                hand(hungry, queue, "other brokers' hunger", queue);
            }
        }
    }

    /** The purges made since the last one told, while this broker did not listen (all of them at its first listen). */
    private void purgesSince(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(QueuePurges.SINCE)) {
            s.setLong(1, purgesTold);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    StoredQueue queue = QueueKeys.queue(rows.getString(1));
                    if (queue != null) {
                        told(new SharedQueues.Purged(queue, rows.getLong(2)));
                    }
                }
            }
        }
    }

    private void told(SharedQueues.Purged purge) {
        purgesTold = Math.max(purgesTold, purge.before());
        hand(purged, purge, "purges", purge.queue());
    }

    private void subscriptionsChanged(long id) {
        hand(subscriptions::accept, id, "durable subscriptions", id == 0 ? "any" : id);
    }

    private void tell(StoredQueue queue) {
        hand(wake, queue, "the PostgreSQL store's wake-ups", queue == null ? "any queue" : queue);
    }

    /** Hands what was heard to its listener; one that throws is logged, and the listening goes on. */
    private static <T> void hand(Consumer<T> listener, T heard, String listenerOf, Object about) {
        try {
            listener.accept(heard);
        } catch (RuntimeException e) {
            log.warn("the listener of {} failed on {}", listenerOf, about, e);
        }
    }

    private void sleep(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (!closed && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(50, millis));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
