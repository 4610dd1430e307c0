package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoredQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What a broker hears from and says to the others over the database, besides rows: the listening connection
 * ({@link WakeListener}, made when the first listener is set) and the hunger a broker says on a claim thread.
 */
final class Wakeups {
    private static final Logger log = LoggerFactory.getLogger(Wakeups.class);

    private final PostgresSettings settings;
    private final DataSource dataSource;
    private final Executor claimers;
    private final UUID brokerId;
    private WakeListener listener;
    private boolean closed;

    Wakeups(PostgresSettings settings, DataSource dataSource, Executor claimers, UUID brokerId) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.claimers = claimers;
        this.brokerId = brokerId;
    }

    synchronized void listen(Consumer<StoredQueue> wake) {
        Objects.requireNonNull(wake, "wake");
        if (!closed) {
            listener().listener(wake);
        }
    }

    synchronized void listenSubscriptions(LongConsumer changed) {
        Objects.requireNonNull(changed, "changed");
        if (!closed) {
            listener().subscriptionListener(changed);
        }
    }

    synchronized void listenPurged(Consumer<SharedQueues.Purged> purged) {
        Objects.requireNonNull(purged, "purged");
        if (!closed) {
            listener().purgeListener(purged);
        }
    }

    synchronized void listenTakeovers(Consumer<String> takenOver) {
        Objects.requireNonNull(takenOver, "takenOver");
        if (!closed) {
            listener().takeoverListener(takenOver);
        }
    }

    synchronized void listenHungry(Consumer<StoredQueue> hungry) {
        Objects.requireNonNull(hungry, "hungry");
        if (!closed) {
            listener().hungerListener(hungry);
        }
    }

    /** A NOTIFY of its own on a claim thread (a pooled connection): nothing waits for it, a failure only logs. */
    void hungry(StoredQueue queue) {
        String key = QueueKeys.key(queue);
        if (QueueKeys.ANY.equals(key)) {
            return;
        }
        try {
            claimers.execute(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    QueueKeys.notify(connection, List.of(QueueKeys.HUNGRY + brokerId + QueueKeys.SEPARATOR
                            + key));
                } catch (SQLException e) {
                    log.debug("PostgreSQL store at {}: could not tell the other brokers that {} starves: {}",
                            settings.where(), queue, e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("PostgreSQL store at {}: closed, {} starves unheard", settings.where(), queue);
        }
    }

    synchronized void close() {
        closed = true;
        if (listener != null) {
            listener.close();
        }
    }

    private WakeListener listener() {
        if (listener == null) {
            listener = new WakeListener(settings, brokerId.toString(), queue -> { });
        }
        return listener;
    }
}
