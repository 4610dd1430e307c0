package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A consumer of a failover session: serves the facade through the inner consumer of the current link and is
 * opened again on every new link, stopped if the facade stopped it, telling the broker the JMSMessageIDs its
 * application saw lately ({@link SeenIds}). Credit notices while the connection is down are dropped: the consumer
 * opened again starts with fresh credit. Thread-safe: its state is a few volatile fields.
 */
final class FailoverConsumer implements EngineConsumer {
    private static final Logger log = LoggerFactory.getLogger(FailoverConsumer.class);

    private final FailoverSession session;
    private final ConsumerSpec spec;
    private final DeliveryListener facade;
    private final SeenIds seen = new SeenIds(SeenIds.CAPACITY);
    /**
     * What the application saw before the last restore. The broker was told them, but a copy can still come that it
     * could not match: a persistent send whose receipt was lost with a broker is resent to the next one, which stores
     * it again — a second copy the application may have seen already on the first broker.
     */
    private volatile Set<String> seenBeforeRestore = Set.of();
    private volatile Bound<EngineConsumer> bound;
    private volatile int consumerId = -1;
    private volatile boolean stopped;
    private volatile boolean closed;

    FailoverConsumer(FailoverSession session, ConsumerSpec spec, DeliveryListener facade, boolean creditHeld) {
        this.session = session;
        this.spec = spec;
        this.facade = facade;
        this.stopped = creditHeld;
    }

    // ---- EngineConsumer ----

    /** The id of the first link's consumer (stable for the facade). */
    @Override
    public int consumerId() {
        return consumerId;
    }

    @Override
    public void taken(int count, long bytes) {
        Bound<EngineConsumer> b = bound;
        if (b != null && b.live()) {
            b.inner().taken(count, bytes);
        }
    }

    @Override
    public void pull() {
        // a pull lost with a link is not asked again here: the facade asks again when it hears restored(), and two
        // would give a prefetch-0 consumer two messages
        Bound<EngineConsumer> b = bound;
        if (b != null && b.live()) {
            b.inner().pull();
        }
    }

    @Override
    public void startDelivery() {
        stopped = false;
        Bound<EngineConsumer> b = bound;
        if (b != null && b.live()) {
            b.inner().startDelivery();
        }
    }

    @Override
    public CompletableFuture<Void> stopDelivery() {
        stopped = true;
        Bound<EngineConsumer> b = bound;
        if (b == null || !b.live()) {
            return CompletableFuture.completedFuture(null); // opened again stopped; its buffer went with the link
        }
        return quietOnLoss(b.inner().stopDelivery(), b.link());
    }

    @Override
    public void declined() {
        Bound<EngineConsumer> b = bound;
        if (b != null && b.live()) {
            b.inner().declined();
        }
    }

    @Override
    public void waiting() {
        Bound<EngineConsumer> b = bound;
        if (b != null && b.live()) {
            b.inner().waiting();
        }
    }

    @Override
    public CompletableFuture<Void> close(long[] unseenLockTokens) {
        closed = true;
        session.forget(this);
        session.locks().released(unseenLockTokens);
        Bound<EngineConsumer> b = bound;
        if (b == null || !b.live()) {
            return CompletableFuture.completedFuture(null); // the broker dropped it with its link
        }
        int current = LockTokens.countOf(b.link(), unseenLockTokens);
        long[] inner = LockTokens.innerOf(b.link(), unseenLockTokens, current); // older locks are gone already
        return quietOnLoss(b.inner().close(inner), b.link());
    }

    // ---- for the session, the link listener and restore ----

    boolean stopped() {
        return stopped;
    }

    boolean isClosed() {
        return closed;
    }

    DeliveryListener facade() {
        return facade;
    }

    FailoverSession session() {
        return session;
    }

    void bind(Link link, EngineConsumer inner) {
        if (consumerId < 0) {
            consumerId = inner.consumerId();
        }
        bound = new Bound<>(link, inner);
    }

    /** The id deliveries carry to the facade. */
    int idFor(int innerId) {
        int id = consumerId;
        return id < 0 ? innerId : id;
    }

    void seen(String messageId) {
        seen.add(messageId);
    }

    /** Its link was lost: the facade drops its buffer, the locks are gone. */
    void interrupted() {
        if (!closed) {
            facade.onInterrupted();
        }
    }

    /** The consumer ended without the facade closing it (a broker error, or the connection gave up). */
    void ended(EngineException cause) {
        if (closed) {
            return;
        }
        closed = true;
        session.forget(this);
        facade.onClosed(cause);
    }

    /** Its session was closed: the consumer goes with it, quietly. */
    void sessionClosed() {
        closed = true;
    }

    /**
     * Restore's step: opens the consumer again on the session's new inner session; a broker error ends this
     * consumer (logged) and restore goes on, a loss fails the step.
     */
    CompletableFuture<Void> restoreOn(Link link, EngineSession inner) {
        if (closed) {
            return CompletableFuture.completedFuture(null);
        }
        List<String> ids = seen.snapshot();
        return Restore.tolerating(inner.createConsumer(spec.withSeenMessageIds(ids), new ConsumerLink(this, link),
                stopped), link, session.connection(), cause -> {
                    log.warn("consumer {} of {} could not be opened again after the connection was lost, so it is "
                            + "closed: {}", consumerId, spec.destination(), cause.getMessage());
                    ended(cause);
                }).thenCompose(opened -> {
                    if (opened == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (closed) {
                        return quietOnLoss(opened.close(new long[0]), link); // closed by the facade meanwhile
                    }
                    bind(link, opened);
                    return CompletableFuture.completedFuture(null);
                });
    }

    /**
     * The connection is restored: the ids were told the broker; a new ring starts, and the old ids stay to flag a copy
     * that the new broker could not know of ({@link #deliveryCount}).
     */
    void restored() {
        List<String> before = seen.snapshot();
        if (!before.isEmpty()) {
            seenBeforeRestore = Set.copyOf(before);
        }
        seen.clear();
    }

    /**
     * The delivery count the application is shown: a first delivery of a message the application saw before the
     * last restore is its second (JMSRedelivered), whichever broker it came from.
     */
    int deliveryCount(Delivery d) {
        Set<String> before = seenBeforeRestore;
        return d.deliveryCount() <= 1 && !before.isEmpty() && before.contains(d.message().messageId())
                ? 2 : d.deliveryCount();
    }

    private CompletableFuture<Void> quietOnLoss(CompletableFuture<Void> inner, Link link) {
        return inner.handle((v, e) -> {
            if (e != null && !session.connection().isLoss(EngineException.unwrap(e), link)) {
                throw EngineException.unwrap(e);
            }
            return null;
        });
    }
}
