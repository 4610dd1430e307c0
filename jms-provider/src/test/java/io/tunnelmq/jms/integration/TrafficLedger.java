package io.tunnelmq.jms.integration;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The numbers of one destination: sent (the send returned), handed to the application (how often), consumed
 * (acknowledged or committed), and every copy handed out again without {@code JMSRedelivered}.
 */
final class TrafficLedger {
    final String name;
    private final Set<Integer> sent = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> handedOut = new ConcurrentHashMap<>();
    private final Set<Integer> consumed = ConcurrentHashMap.newKeySet();
    /** Numbers whose first copy came without JMSRedelivered. */
    private final Set<Integer> firstUnflagged = ConcurrentHashMap.newKeySet();
    private final List<String> unflaggedAgain = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentSkipListSet<Long> handedOutAt = new ConcurrentSkipListSet<>();
    private final AtomicInteger handedOutCount = new AtomicInteger();

    TrafficLedger(String name) {
        this.name = name;
    }

    int number(Message m) throws JMSException {
        if (!m.propertyExists(Traffic.NUMBER)) {
            throw new AssertionError(name + ": a message without the property " + Traffic.NUMBER + ": " + m);
        }
        return m.getIntProperty(Traffic.NUMBER);
    }

    void sent(int n) {
        sent.add(n);
    }

    /** A message was handed to the application: a copy after the first must be flagged JMSRedelivered. */
    void handedOut(Message m) throws JMSException {
        handedOutAt.add(System.nanoTime());
        handedOutCount.incrementAndGet();
        int n = number(m);
        boolean redelivered = m.getJMSRedelivered();
        int times = handedOut.merge(n, 1, Integer::sum);
        if (times == 1 && !redelivered) {
            firstUnflagged.add(n);
        }
        if (times > 1 && !redelivered) {
            unflaggedAgain.add(n + " (copy " + times + ", JMSXDeliveryCount "
                    + m.getIntProperty("JMSXDeliveryCount") + ")");
        }
    }

    void consumed(int n) {
        consumed.add(n);
    }

    int sentCount() {
        return sent.size();
    }

    /** Messages handed to the application, copies included. */
    int handedOutCount() {
        return handedOutCount.get();
    }

    /** Whether number {@code n} was handed out more than once. */
    boolean wasHandedOutAgain(int n) {
        return handedOut.getOrDefault(n, 0) > 1;
    }

    /** Numbers handed out more than once. */
    long duplicates() {
        return handedOut.values().stream().filter(times -> times > 1).count();
    }

    /** When the first message at or after {@code nanos} ({@link System#nanoTime()}) was handed out, if one was. */
    OptionalLong handedOutSince(long nanos) {
        Long at = handedOutAt.ceiling(nanos);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** Numbers sent and consumed neither here nor in {@code elsewhere} (another broker's ledger), sorted. */
    Set<Integer> missing(TrafficLedger... elsewhere) {
        Set<Integer> missing = new TreeSet<>(sent);
        missing.removeAll(consumed);
        for (TrafficLedger other : elsewhere) {
            missing.removeAll(other.consumed);
        }
        return missing;
    }

    /** Copies handed out again without JMSRedelivered. */
    List<String> unflaggedAgain() {
        synchronized (unflaggedAgain) {
            return List.copyOf(unflaggedAgain);
        }
    }

    /** Numbers consumed here whose first copy in {@code other} came without JMSRedelivered, sorted. */
    Set<Integer> consumedHereAndUnflaggedIn(TrafficLedger other) {
        Set<Integer> both = new TreeSet<>(consumed);
        both.retainAll(other.firstUnflagged);
        return both;
    }

    @Override
    public String toString() {
        Set<Integer> missing = missing();
        return name + ": sent " + sent.size() + ", consumed " + consumed.size() + ", handed out "
                + handedOutCount + " (" + duplicates() + " numbers twice or more)"
                + (missing.isEmpty() ? "" : ", missing " + missing.stream().limit(10).toList()
                + (missing.size() > 10 ? "..." : ""));
    }
}
