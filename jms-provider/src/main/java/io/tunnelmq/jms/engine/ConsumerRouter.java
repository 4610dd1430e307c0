package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.SettleOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The consumers of one session channel: opens them, and routes the broker's deliveries and revocations to them.
 * A delivery nobody can take (the consumer is closing, stopped or unknown) goes back at once with its count
 * unchanged. Confined to the event loop.
 */
final class ConsumerRouter {
    private static final Logger log = LoggerFactory.getLogger(ConsumerRouter.class);

    private final ClientSession session;
    private final Map<Integer, ClientConsumer> consumers = new HashMap<>();
    /** The consumer of the last delivery (most come in runs for one consumer), or null; cleared with any removal. */
    private ClientConsumer lastRouted;
    private int lastConsumerId;

    ConsumerRouter(ClientSession session) {
        this.session = session;
    }

    /** Writes CreateConsumer; {@code future} completes with the consumer once the broker accepted it. */
    void open(ConsumerSpec spec, DeliveryListener listener, boolean creditHeld, CompletableFuture<EngineConsumer> future) {
        int channel = session.channel();
        int consumerId = ++lastConsumerId;
        ClientConsumer consumer = new ClientConsumer(session, consumerId, spec.prefetch(), spec.prefetchBytes(),
                creditHeld, listener);
        // routed before CreateConsumer is written, so deliveries that beat the broker's Ok are not lost
        consumers.put(consumerId, consumer);
        session.connection().request(channel, "CreateConsumer on " + spec.destination() + " on session " + channel,
                id -> new CreateConsumer(channel, id, consumerId, spec.destination(), spec.selector(), spec.noLocal(),
                        spec.subscriptionName(), spec.durable(), spec.shared(), consumer.initialCredit(),
                        consumer.initialCreditBytes(), spec.seenMessageIds()),
                new Reply() {
                    @Override
                    public void ok(Ok ok) {
                        consumer.opened();
                        future.complete(consumer);
                    }

                    @Override
                    public void failed(EngineException cause) {
                        forget(consumerId);
                        consumer.ended(cause);
                        if (cause.code() == ErrorCode.TIMEOUT) {
                            closeUnanswered(consumerId);
                        }
                        future.completeExceptionally(cause);
                    }
                });
    }

    /**
     * A CreateConsumer went unanswered for the request timeout: the broker may still make the consumer (its answer
     * waits behind the session's earlier store writes), and would then hold it, with its credit, the queue's
     * consumer count and a durable subscription's only consumer, until the session closes. CloseConsumer removes
     * it, or it is never attached; the answer does not matter.
     */
    private void closeUnanswered(int consumerId) {
        if (session.isOver()) {
            return;
        }
        int channel = session.channel();
        session.connection().request(channel, "CloseConsumer " + consumerId + " after its creation timed out",
                id -> new CloseConsumer(channel, id, consumerId), new Reply() {
                    @Override
                    public void ok(Ok ok) {
                    }

                    @Override
                    public void failed(EngineException cause) {
                        log.debug("session {}: closing consumer {} after its creation timed out failed: {}", channel,
                                consumerId, cause.getMessage());
                    }
                });
    }

    /** The broker no longer knows the consumer: stop routing to it. */
    void forget(int consumerId) {
        consumers.remove(consumerId);
        lastRouted = null;
    }

    private ClientConsumer routeTo(int consumerId) {
        ClientConsumer consumer = lastRouted;
        if (consumer == null || consumer.consumerId() != consumerId) {
            consumer = consumers.get(consumerId);
            lastRouted = consumer;
        }
        return consumer;
    }

    /** Removes and returns every consumer (the session ended). */
    List<ClientConsumer> takeAll() {
        List<ClientConsumer> all = new ArrayList<>(consumers.values());
        consumers.clear();
        lastRouted = null;
        return all;
    }

    /**
     * A delivery from the broker, for one of the session's consumers.
     *
     * @param sessionClosing CloseSession is on its way: the broker unlocks the message itself
     */
    void deliver(Deliver d, boolean sessionClosing) {
        ClientConsumer consumer = routeTo(d.consumerId());
        String logId = session.connection().logId();
        if (sessionClosing) {
            log.debug("[{}] session {} is closing: dropping delivery {} (the broker unlocks it on close)", logId,
                    session.channel(), d.lockToken());
        } else if (consumer == null || !consumer.acceptsDeliveries() || consumer.isStopped()) {
            // closing, given up on, or stopped (sent before the broker saw the stop): back at once, count unchanged
            log.debug("[{}] session {}: releasing delivery {} for {} consumer {}", logId, session.channel(),
                    d.lockToken(), consumer == null ? "unknown" : consumer.isStopped() ? "stopped" : "closed",
                    d.consumerId());
            session.settlements().write(SettleOutcome.RELEASE, new long[] {d.lockToken()}, null, null, null);
        } else {
            consumer.deliver(d);
        }
    }

    /** The broker revokes prefetched messages of one of the session's consumers. */
    void revoke(Revoke revoke, boolean sessionClosing) {
        ClientConsumer consumer = consumers.get(revoke.consumerId());
        if (sessionClosing || consumer == null) {
            log.debug("[{}] session {}: ignoring revoke for closed or unknown consumer {}",
                    session.connection().logId(), session.channel(), revoke.consumerId());
        } else {
            consumer.revoke(revoke.lockTokens());
        }
    }
}
