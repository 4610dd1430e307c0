package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.Credit;
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
 * the event loop; the {@link EngineConsumer} methods may be called from any thread.
 *
 * <p>A stopped consumer (created on a connection that is not started, or stopped with the connection) has
 * credit 0 on the broker; starting it sets its credit to the prefetch. A "declined" consumer gave messages back
 * unseen; the broker delivers nothing more to it until it sends a credit, which it does ({@code WAITING}) once the
 * application waits on an empty buffer.
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
    /** No deliveries wanted: opened with its credit held, or the connection stopped (event loop). */
    private boolean stopped;
    /** CreateConsumer carried the prefetch as credit (event loop). */
    private boolean openedWithCredit;
    /** startDelivery came while opening: the credit goes out once the broker accepted the consumer (event loop). */
    private boolean startCreditOwed;
    /** Gave messages back unseen since the last credit sent: the broker holds it back until told (event loop). */
    private boolean declined;

    ClientConsumer(ClientSession session, int consumerId, int prefetch, long prefetchBytes, boolean creditHeld,
                   DeliveryListener listener) {
        this.session = session;
        this.consumerId = consumerId;
        this.credit = new ConsumerCredit(prefetch, prefetchBytes);
        this.stopped = creditHeld;
        this.openedWithCredit = !creditHeld && prefetch > 0;
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
        session.execute(() -> {
            if (!stopped) {
                return;
            }
            stopped = false;
            credit.reset();
            if (state == State.OPEN) {
                writeStartCredit();
            } else if (state == State.OPENING) {
                startCreditOwed = true;
            }
        });
    }

    private void writeStartCredit() {
        // without prefetch the facade pulls each message when the application wants one
        if (!closeRequested.get() && credit.prefetch() > 0) {
            writeCredit(credit.initialCredit(), credit.initialCreditBytes(), Credit.SET);
        }
    }

    @Override
    public CompletableFuture<Void> stopDelivery() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        session.execute(() -> {
            if (stopped || !acceptsDeliveries()) {
                done.complete(null);
                return;
            }
            stopped = true;
            startCreditOwed = false;
            credit.reset();
            if (state == State.OPEN) {
                writeCredit(0, 0, Credit.SET);
            } // still opening: opened() takes the credit CreateConsumer gave back
            Released buffered;
            try {
                buffered = listener.onStop();
            } catch (RuntimeException e) {
                log.error("[{}] onStop of consumer {} on session {} threw; nothing released",
                        session.connection().logId(), consumerId, session.channel(), e);
                buffered = Released.NONE;
            }
            long[] tokens = buffered == null ? new long[0] : buffered.lockTokens();
            if (tokens.length == 0 && state != State.OPEN) {
                done.complete(null);
                return;
            }
            // answered even when empty: deliveries the broker made before the SET arrive before the answer, and are
            // released as they come, so stop() returns with nothing of this consumer on its way
            log.debug("[{}] session {}: stopped consumer {} releases {} buffered message(s)",
                    session.connection().logId(), session.channel(), consumerId, tokens.length);
            session.settlements().inOrder(SettleOutcome.RELEASE, tokens, Reply.completing(done), null);
        });
        return done;
    }

    @Override
    public void declined() {
        session.execute(() -> declined = true);
    }

    @Override
    public void waiting() {
        session.execute(() -> {
            if (declined && state == State.OPEN && !stopped && !closeRequested.get()) {
                ConsumerCredit.Grant owed = credit.owed();
                writeCredit(owed.messages(), owed.bytes(), Credit.WAITING);
            }
        });
    }

    /**
     * Writes a credit of this consumer; whatever its kind, the broker no longer holds the consumer back. Only a
     * WAITING ends the decline here: a lock this client judged lost by its own clock may expire on the broker only
     * after an ordinary credit went out, declining the consumer again, and the WAITING that follows (which the
     * broker counts against that delivery) is what reliably lifts it.
     */
    private void writeCredit(int messages, long bytes, int flags) {
        if ((flags & Credit.WAITING) != 0) {
            declined = false;
        }
        session.writeCredit(consumerId, messages, bytes, flags);
    }

    @Override
    public CompletableFuture<Void> close(long[] unseenLockTokens) {
        long[] unseen = unseenLockTokens == null ? new long[0] : unseenLockTokens.clone();
        if (closeRequested.compareAndSet(false, true)) {
            session.execute(() -> session.closeConsumer(this, unseen));
        }
        return closed;
    }

    /** The message credit CreateConsumer carries: none while held (event loop). */
    int initialCredit() {
        return openedWithCredit ? credit.initialCredit() : 0;
    }

    long initialCreditBytes() {
        return credit.initialCreditBytes();
    }

    private void grant(ConsumerCredit.Grant grant) {
        if (!grant.isEmpty()) {
            session.execute(() -> {
                // a stopped consumer's credit is set again when it starts
                if (state == State.OPEN && !stopped && !closeRequested.get()) {
                    writeCredit(grant.messages(), grant.bytes(), 0);
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

    /** Stopped with its connection (or opened so): deliveries are released at once (event loop). */
    boolean isStopped() {
        return stopped;
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
     * the application has not taken and the session releases them (delivery count unchanged). The consumer is
     * then "declined": their credit is owed, not granted, so the broker does not simply deliver them here again;
     * it goes out with the next credit, at the latest when the application waits on an empty buffer.
     */
    void revoke(long[] lockTokens) {
        if (!acceptsDeliveries() || stopped) {
            return; // closing or stopped: the close or stop releases everything still buffered
        }
        // the broker may now hold this consumer back (a release of a revoked token, however it comes, or a lock
        // that expired in the buffer declines it): the next wait of the application says WAITING
        declined = true;
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
        // in order on the loop, so a WAITING credit of the application can never overtake the release
        credit.returned(released.messages(), released.bytes());
        session.settlements().inOrder(SettleOutcome.RELEASE, released.lockTokens(), null, null);
    }

    void opened() {
        if (state == State.OPENING) {
            state = State.OPEN;
            if (stopped && openedWithCredit) {
                writeCredit(0, 0, Credit.SET); // stopped while the broker was still accepting it
            }
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
            session.settlements().write(SettleOutcome.RELEASE, unseen, null, new Reply() {
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
