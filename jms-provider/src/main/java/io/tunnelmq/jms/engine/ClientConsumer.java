package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.SettleOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consumer on a session channel. Deliveries go straight to the facade's {@link DeliveryListener} on the
 * event loop; credit follows what the application takes ({@link ConsumerCredit}). Lifecycle state lives on
 * the event loop; {@link #taken}, {@link #pull} and {@link #close} may be called from any thread.
 */
final class ClientConsumer implements EngineConsumer {
    private static final Logger log = LoggerFactory.getLogger(ClientConsumer.class);

    private enum State { OPENING, OPEN, CLOSING, CLOSED }

    private final ClientSession session;
    private final int consumerId;
    private final ConsumerCredit credit;
    private final DeliveryListener listener;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private State state = State.OPENING;
    /** Opened without message credit; {@link #startDelivery} gives it (event loop). */
    private boolean creditHeld;
    /** startDelivery came while opening: the credit goes out once the broker accepted the consumer (event loop). */
    private boolean startCreditOwed;

    ClientConsumer(ClientSession session, int consumerId, int prefetch, long prefetchBytes, boolean creditHeld,
                   DeliveryListener listener) {
        this.session = session;
        this.consumerId = consumerId;
        this.credit = new ConsumerCredit(prefetch, prefetchBytes);
        this.creditHeld = creditHeld && prefetch > 0;
        this.listener = listener;
    }

    @Override
    public int consumerId() {
        return consumerId;
    }

    @Override
    public void taken(int count, long bytes) {
        grant(credit.taken(count, bytes));
    }

    @Override
    public void pull() {
        int messages = credit.pull();
        if (messages > 0) {
            grant(new ConsumerCredit.Grant(messages, 0));
        }
    }

    @Override
    public void startDelivery() {
        session.connection().execute(() -> {
            if (!creditHeld) {
                return;
            }
            creditHeld = false;
            if (state == State.OPEN) {
                writeStartCredit();
            } else if (state == State.OPENING) {
                startCreditOwed = true;
            }
        });
    }

    private void writeStartCredit() {
        if (!closeRequested.get()) {
            // the byte credit went out with CreateConsumer; only the messages were held back
            session.writeCredit(consumerId, credit.initialCredit(), 0);
        }
    }

    @Override
    public CompletableFuture<Void> close(long[] unseenLockTokens) {
        long[] unseen = unseenLockTokens == null ? new long[0] : unseenLockTokens.clone();
        if (closeRequested.compareAndSet(false, true)) {
            session.connection().execute(() -> session.closeConsumer(this, unseen));
        }
        return closed;
    }

    /** The message credit CreateConsumer carries: none while held (event loop). */
    int initialCredit() {
        return creditHeld ? 0 : credit.initialCredit();
    }

    long initialCreditBytes() {
        return credit.initialCreditBytes();
    }

    private void grant(ConsumerCredit.Grant grant) {
        if (!grant.isEmpty()) {
            session.connection().execute(() -> {
                if (state == State.OPEN && !closeRequested.get()) {
                    session.writeCredit(consumerId, grant.messages(), grant.bytes());
                }
            });
        }
    }

    // ---- event loop ----

    /**
     * Whether a delivery should reach the listener. Checked against the close request itself (not only the
     * state on the loop) so messages arriving after the application asked to close are released at once.
     */
    boolean acceptsDeliveries() {
        return (state == State.OPENING || state == State.OPEN) && !closeRequested.get();
    }

    /** The consumer exists on the broker (and the application is about to get it). */
    boolean isLive() {
        return state == State.OPENING || state == State.OPEN;
    }

    void deliver(Deliver d) {
        try {
            long lockedUntil = session.lockDelivered(d);
            listener.onDelivery(new Delivery(d.consumerId(), d.lockToken(), d.deliveryCount(), lockedUntil, d.message()));
        } catch (RuntimeException e) {
            log.error("[{}] delivery listener of consumer {} on session {} threw; the message stays locked until it expires",
                    session.connection().logId(), consumerId, session.channel(), e);
        }
    }

    /**
     * The broker wants these prefetched messages back for an idle competing consumer: the facade gives up those
     * the application has not taken, the session releases them (delivery count unchanged), and their credit goes
     * back to the broker after the release, so they are not simply delivered here again.
     */
    void revoke(long[] lockTokens) {
        if (!acceptsDeliveries()) {
            return; // closing: the close releases everything still buffered
        }
        Released released;
        try {
            released = listener.onRevoke(lockTokens);
        } catch (RuntimeException e) {
            log.error("[{}] onRevoke of consumer {} on session {} threw; nothing released",
                    session.connection().logId(), consumerId, session.channel(), e);
            return;
        }
        if (released == null || released.lockTokens().length == 0) {
            log.debug("[{}] session {}: consumer {} keeps all {} revoked message(s): the application took them",
                    session.connection().logId(), session.channel(), consumerId, lockTokens.length);
            return;
        }
        log.debug("[{}] session {}: consumer {} releases {} of {} revoked message(s)", session.connection().logId(),
                session.channel(), consumerId, released.lockTokens().length, lockTokens.length);
        // credit only once the release is written, so the broker cannot hand the messages straight back here
        session.settle(SettleOutcome.RELEASE, released.lockTokens(), null, false).whenComplete((v, e) -> {
            if (e == null) {
                taken(released.lockTokens().length, released.bytes());
            }
        });
    }

    void opened() {
        if (state == State.OPENING) {
            state = State.OPEN;
            if (startCreditOwed) {
                startCreditOwed = false;
                writeStartCredit();
            }
        }
    }

    void closing() {
        state = State.CLOSING;
    }

    /**
     * Writes the close: a RELEASE (answered) of the messages the application never saw, so they go back to
     * the queue without a raised delivery count, then CloseConsumer. The close completes once both are
     * answered; a failed release only gets logged, since the locks expire and come back anyway.
     */
    void writeClose(long[] unseen) {
        int channel = session.channel();
        TunnelClientConnection connection = session.connection();
        CompletableFuture<Void> released = new CompletableFuture<>();
        if (unseen.length == 0) {
            released.complete(null);
        } else {
            session.writeSettle(SettleOutcome.RELEASE, unseen, null, new Reply() {
                @Override
                public void ok(Ok ok) {
                    released.complete(null);
                }

                @Override
                public void failed(EngineException cause) {
                    log.debug("[{}] session {}: releasing unseen messages of consumer {} failed: {}",
                            connection.logId(), channel, consumerId, cause.getMessage());
                    released.complete(null);
                }
            }, null);
        }
        connection.request(channel, "CloseConsumer " + consumerId + " on session " + channel,
                id -> new CloseConsumer(channel, id, consumerId), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        session.forgetConsumer(consumerId);
                        released.thenRun(ClientConsumer.this::closeDone);
                    }

                    @Override
                    public void failed(EngineException cause) {
                        session.forgetConsumer(consumerId);
                        if (session.isOver()) {
                            closeDone(); // the session or connection ended: the consumer is gone anyway
                        } else {
                            closeFailed(cause);
                        }
                    }
                });
    }

    /** The consumer is closed on the broker, or there is no broker-side consumer left to close. */
    void closeDone() {
        state = State.CLOSED;
        closed.complete(null);
    }

    void closeFailed(EngineException cause) {
        state = State.CLOSED;
        closed.completeExceptionally(cause);
    }

    /**
     * The consumer ended without the application closing it. The listener hears of it only if the
     * application has the consumer (an opening consumer's creation future fails instead).
     */
    void ended(EngineException cause) {
        State was = state;
        state = State.CLOSED;
        closed.complete(null);
        if (was == State.OPEN && !closeRequested.get()) {
            try {
                listener.onClosed(cause);
            } catch (RuntimeException e) {
                log.error("[{}] onClosed of consumer {} on session {} threw", session.connection().logId(), consumerId,
                        session.channel(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "ClientConsumer[" + consumerId + " on session " + session.channel() + ", " + state + "]";
    }
}
