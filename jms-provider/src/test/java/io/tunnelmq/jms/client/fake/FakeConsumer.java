package io.tunnelmq.jms.client.fake;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.protocol.message.WireDestination;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A fake consumer with message credit. State only on the loop. */
final class FakeConsumer implements EngineConsumer {
    final FakeSession session;
    final int consumerId;
    final ConsumerSpec spec;
    final DeliveryListener listener;
    final String selectorProperty;
    final String selectorValue;
    int credit;
    boolean creditHeld;
    boolean declined;
    FakeQueue queue;

    FakeConsumer(FakeSession session, int consumerId, ConsumerSpec spec, DeliveryListener listener,
                 String selectorProperty, String selectorValue, boolean creditHeld) {
        this.session = session;
        this.consumerId = consumerId;
        this.spec = spec;
        this.listener = listener;
        this.selectorProperty = selectorProperty;
        this.selectorValue = selectorValue;
        // like the engine's stopped consumer, whatever its prefetch: a stop before the start does nothing (a prefetch-0
        // consumer's stop would otherwise run onStop late, after the facade's first pull, and the facade would pull twice)
        this.creditHeld = creditHeld;
        this.credit = this.creditHeld ? 0 : spec.prefetch();
    }

    /** Joins its queue, or the topic subscription it names (created on first use). */
    void attach() {
        FakeBroker broker = session.broker;
        WireDestination d = spec.destination();
        if (d.kind().isQueue()) {
            queue = broker.queue(d.name());
        } else {
            String key = spec.subscriptionName() == null ? "sub." + d.name() + "." + session.connection.connectionId
                    + "." + session.channel + "." + consumerId
                    : "sub." + d.name() + "." + (spec.shared() ? "" : session.connection.clientId + ".")
                    + spec.subscriptionName();
            boolean created = !broker.queues.containsKey(key);
            queue = broker.queue(key);
            queue.durable = spec.durable();
            if (created) {
                broker.topics.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(queue);
            }
        }
        queue.consumers.add(this);
        queue.dispatch();
    }

    void detach() {
        if (queue == null) {
            return;
        }
        queue.consumers.remove(this);
        session.consumers.remove(consumerId);
        if (!queue.durable && queue.consumers.isEmpty() && !spec.destination().kind().isQueue()) {
            List<FakeQueue> subs = session.broker.topics.get(spec.destination().name());
            if (subs != null) {
                subs.remove(queue);
            }
            session.broker.queues.remove(queue.name);
        }
        queue = null;
    }

    boolean accepts(FakeQueue.Entry e) {
        if (spec.noLocal() && e.origin == session.connection) {
            return false;
        }
        return selectorProperty == null || selectorValue.equals(String.valueOf(e.message.properties()
                .get(selectorProperty)));
    }

    /** As a consumer re-created on a new connection: full credit again (none while the connection is stopped). */
    void restore() {
        credit = creditHeld ? 0 : spec.prefetch();
        declined = false;
        if (queue != null) {
            queue.dispatch();
        }
    }

    @Override
    public int consumerId() {
        return consumerId;
    }

    @Override
    public void taken(int count, long bytes) {
        if (count <= 0) {
            throw new IllegalArgumentException("taken(" + count + ")");
        }
        session.broker.run(() -> {
            if (spec.prefetch() > 0 && queue != null) {
                credit += count;
                queue.dispatch();
            }
        });
    }

    @Override
    public void startDelivery() {
        session.broker.run(() -> {
            if (creditHeld && queue != null) {
                creditHeld = false;
                credit = spec.prefetch(); // Credit(SET, prefetch)
                session.broker.log.add("start consumer " + consumerId);
                queue.dispatch();
            }
        });
    }

    /** Like the engine: credit set to 0, the facade's buffer released, count unchanged. */
    @Override
    public CompletableFuture<Void> stopDelivery() {
        FakeBroker broker = session.broker;
        return broker.run(() -> {
            if (creditHeld || queue == null) {
                return;
            }
            creditHeld = true;
            credit = 0;
            long[] unseen = listener.onStop().lockTokens();
            broker.log.add("stop consumer " + consumerId + ", release " + java.util.Arrays.toString(unseen));
            for (long token : unseen) {
                FakeQueue.Entry e = broker.locks.get(token);
                if (e != null && e.lockedBy == session) {
                    e.queue.release(e);
                }
            }
            queue.dispatch();
        });
    }

    @Override
    public void declined() {
        session.broker.run(() -> {
            declined = true;
            session.broker.log.add("declined consumer " + consumerId);
        });
    }

    @Override
    public void waiting() {
        session.broker.run(() -> {
            if (declined) {
                declined = false;
                session.broker.log.add("waiting consumer " + consumerId);
            }
        });
    }

    @Override
    public void pull() {
        session.broker.run(() -> {
            // like the engine: a stopped consumer's credit stays 0; a pull while interrupted is lost
            if (queue != null && !creditHeld && !session.connection.interrupted) {
                credit++;
                queue.dispatch();
            }
        });
    }

    @Override
    public CompletableFuture<Void> close(long[] unseenLockTokens) {
        FakeBroker broker = session.broker;
        return broker.run(() -> {
            FakeQueue q = queue;
            detach(); // stop delivering first, so the released messages go to other consumers
            broker.log.add("close consumer " + consumerId + ", release " + java.util.Arrays.toString(unseenLockTokens));
            for (long token : unseenLockTokens) {
                FakeQueue.Entry e = broker.locks.get(token);
                if (e != null && e.lockedBy == session) {
                    e.queue.release(e);
                }
            }
            if (q != null) {
                q.dispatch();
            }
        });
    }
}
