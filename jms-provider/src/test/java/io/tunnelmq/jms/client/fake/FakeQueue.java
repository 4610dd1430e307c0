package io.tunnelmq.jms.client.fake;

import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A peek-lock queue (or a topic subscription) of the fake broker. Used only on the loop thread. */
final class FakeQueue {

    /** One message and its lock state. */
    static final class Entry {
        final long seq;
        final FakeQueue queue;
        final FakeConnection origin;
        WireMessage message;
        int deliveryCount;
        long lockToken;
        FakeSession lockedBy;

        Entry(long seq, FakeQueue queue, WireMessage message, FakeConnection origin) {
            this.seq = seq;
            this.queue = queue;
            this.message = message;
            this.origin = origin;
        }
    }

    final FakeBroker broker;
    final String name;
    final TreeMap<Long, Entry> entries = new TreeMap<>();
    final List<FakeConsumer> consumers = new ArrayList<>();
    boolean durable;
    private long nextSeq;
    private int rotation;

    FakeQueue(FakeBroker broker, String name) {
        this.broker = broker;
        this.name = name;
    }

    void add(WireMessage m, FakeConnection origin) {
        long seq = nextSeq++;
        entries.put(seq, new Entry(seq, this, m, origin));
        dispatch();
    }

    int size() {
        return entries.size();
    }

    List<WireMessage> messages() {
        List<WireMessage> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.message));
        return out;
    }

    /** Delivers available messages, in order, to consumers with credit. */
    void dispatch() {
        for (Entry e : entries.values()) {
            if (e.lockedBy != null) {
                continue;
            }
            FakeConsumer c = nextConsumerFor(e);
            if (c == null) {
                continue;
            }
            c.credit--;
            e.deliveryCount++;
            e.lockToken = broker.lockTokens.incrementAndGet();
            e.lockedBy = c.session;
            broker.locks.put(e.lockToken, e);
            c.session.locks.add(e.lockToken);
            long lockedUntil = broker.lockedUntil();
            c.session.lockExpiry.put(e.lockToken, lockedUntil);
            c.listener.onDelivery(new Delivery(c.consumerId, e.lockToken, e.deliveryCount, lockedUntil, e.message));
        }
    }

    private FakeConsumer nextConsumerFor(Entry e) {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            FakeConsumer c = consumers.get((rotation + i) % n);
            if (c.credit > 0 && !c.session.connection.interrupted && c.accepts(e)) {
                rotation = (rotation + i + 1) % n;
                return c;
            }
        }
        return null;
    }

    void complete(Entry e) {
        unlock(e);
        entries.remove(e.seq);
    }

    /** Back to its place; the delivery count already counts the delivery, so the next one is one higher. */
    void abandon(Entry e) {
        unlock(e);
        if (e.deliveryCount >= broker.maxDeliveryCount) {
            deadLetter(e, "maximum delivery count " + broker.maxDeliveryCount + " reached");
        }
    }

    void release(Entry e) {
        unlock(e);
        e.deliveryCount--; // a release does not count as a delivery
    }

    void deadLetter(Entry e, String reason) {
        unlock(e);
        entries.remove(e.seq);
        Map<String, Object> props = new HashMap<>(e.message.properties());
        props.put("JMS_TMQ_DeadLetterReason", reason == null ? "dead-lettered by the client" : reason);
        broker.queue("DLQ." + name).add(e.message.withDestination(WireDestination.queue("DLQ." + name))
                .withProperties(props), e.origin);
    }

    void expire(Entry e) {
        if (e.lockedBy != null) {
            e.lockedBy.expired.add(e.lockToken);
            abandon(e);
        }
        dispatch();
    }

    private void unlock(Entry e) {
        if (e.lockedBy != null) {
            e.lockedBy.locks.remove(e.lockToken);
            e.lockedBy.lockExpiry.remove(e.lockToken);
        }
        broker.locks.remove(e.lockToken);
        e.lockedBy = null;
    }
}
