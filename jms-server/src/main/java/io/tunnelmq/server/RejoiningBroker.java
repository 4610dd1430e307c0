package io.tunnelmq.server;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An embedded broker over a shared PostgreSQL store that keeps serving as the standalone broker does: when the other
 * brokers take it for dead though it is alive ({@link EmbeddedBroker#fenced}: cut off from the database, or paused,
 * past {@code staleMillis}), it closes and a new broker starts with the same config, on the same ports, as a new member
 * of the brokers (its clients fail over to it or to the others meanwhile), trying every second while it cannot (the
 * database still out of reach). For an application that embeds a broker in a cluster and wants it back by itself;
 * {@link EmbeddedBroker} alone leaves the restart to the application.
 *
 * <pre>{@code
 * try (RejoiningBroker broker = RejoiningBroker.start(BrokerConfig.defaults().withPostgresqlStore(settings))) {
 *     ... broker.current().url() ...
 * }
 * }</pre>
 */
public final class RejoiningBroker implements AutoCloseable {
    /** How long {@link #close} waits for a start in progress to finish before it closes what serves. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final AtomicReference<EmbeddedBroker> serving;
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final Thread server;

    private RejoiningBroker(EmbeddedBroker first, BrokerConfig config) {
        this.serving = new AtomicReference<>(first);
        this.server = new Thread(() -> {
            try {
                Broker.serve(serving, config, EmbeddedBroker::start, stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tunnelmq-rejoining");
        server.setDaemon(true);
        server.start();
    }

    /**
     * Starts the first broker, as {@link EmbeddedBroker#start(BrokerConfig)} does, and from then on a new one each time
     * the brokers take the serving one for dead.
     *
     * @throws RuntimeException as {@link EmbeddedBroker#start(BrokerConfig)} (the first start only: later ones are
     *                          tried again every second, and logged)
     */
    public static RejoiningBroker start(BrokerConfig config) {
        Objects.requireNonNull(config, "config");
        return new RejoiningBroker(EmbeddedBroker.start(config), config);
    }

    /** The broker serving now; null while a new one is starting. */
    public EmbeddedBroker current() {
        return serving.get();
    }

    /** Stops serving: no more restarts, and the broker serving now (if one is) closes. Idempotent. */
    @Override
    public void close() {
        stop.complete(null);
        try {
            server.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        EmbeddedBroker last = serving.getAndSet(null);
        if (last != null) {
            last.close();
        }
    }
}
