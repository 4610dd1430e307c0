package io.tunnelmq.jms.integration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the peek-lock rules of issue 12 say about every message of a {@link PeekLockModelTest} history, and the check
 * of each thing the real client and broker do against it. A message is QUEUED (available, or unseen in some buffer),
 * HELD by one application session, COMPLETED, or MAYBE_COMPLETED (an AUTO_ACKNOWLEDGE completion that a dropped
 * connection may have lost on the way). Its next delivery must carry a JMSXDeliveryCount in {@code [lo, hi]}:
 * exactly one more than last time if an application was handed it and did not complete it, unchanged if it was only
 * released unseen. The range is wider than one value only where the rules leave the outcome open: a TCP drop right
 * after a hand-out (the fire-and-forget "taken" may not have reached the broker) and a hand-out just before a short
 * lock ran out.
 */
final class PeekLockModel {
    /** Client and broker clocks differ by the handshake's offset estimate and timer ticks; beyond this, a lock is over. */
    static final long LOCK_MARGIN_MILLIS = 300;

    enum State { QUEUED, HELD, COMPLETED, MAYBE_COMPLETED }

    /** A hand-out to an application: by which session, with which count, and whether its lock can run out. */
    record Hold(int session, int count, long lockedUntil, boolean expirable, boolean uncertain) {
    }

    static final class Msg {
        final String body;
        final String queue;
        State state = State.QUEUED;
        int lo = 1;
        int hi = 1;
        Hold hold;
        String messageId;
        /** The count of its latest hand-out. */
        int lastCount;
        /** An AUTO_ACKNOWLEDGE completion the broker may not have processed yet (fire-and-forget). */
        boolean completionInFlight;
        int completions;

        Msg(String body, String queue) {
            this.body = body;
            this.queue = queue;
        }

        @Override
        public String toString() {
            return body + "[" + state + ", next count " + lo + (hi == lo ? "" : ".." + hi) + ", hold " + hold + "]";
        }
    }

    private final Map<String, Msg> messages = new LinkedHashMap<>();

    void sent(String body, String queue) {
        messages.put(body, new Msg(body, queue));
    }

    Msg get(String body) {
        Msg m = messages.get(body);
        if (m == null) {
            throw new AssertionError("received a message no one sent: " + body);
        }
        return m;
    }

    Collection<Msg> all() {
        return messages.values();
    }

    /** True while some message of the queue is surely available or sits unseen in a buffer: a receive must get one. */
    boolean somethingUnseen(String queue) {
        return messages.values().stream().anyMatch(m -> m.queue.equals(queue) && m.state == State.QUEUED);
    }

    /** The queue's depth on the broker must lie in this range (AUTO completions in flight and maybes may be there). */
    long[] depthRange(String queue) {
        long certain = 0;
        long maybe = 0;
        for (Msg m : messages.values()) {
            if (!m.queue.equals(queue)) {
                continue;
            }
            switch (m.state) {
                case QUEUED, HELD -> certain++;
                case MAYBE_COMPLETED -> maybe++;
                case COMPLETED -> maybe += m.completionInFlight ? 1 : 0;
            }
        }
        return new long[] {certain, certain + maybe};
    }

    /**
     * A session's consumer handed {@code m} to the application: checks that it may be delivered now and carries the
     * count and flag the rules allow, and records the hold. Returns the hold whose lock ran out if another session
     * held the message until now (that session must name it when it acknowledges), else null.
     */
    Hold handed(Msg m, int session, String messageId, int count, boolean redelivered, long now, long lockedUntil,
                boolean expirableLock) {
        String what = m.body + " handed to session " + session + " with count " + count + ", redelivered "
                + redelivered + " while the model says " + m;
        Hold expired = null;
        switch (m.state) {
            case COMPLETED -> throw new AssertionError("completed before, delivered again: " + what);
            case HELD -> {
                expired = m.hold;
                if (!expired.expirable() || now < expired.lockedUntil() - LOCK_MARGIN_MILLIS) {
                    throw new AssertionError("delivered while another hand-out still holds its lock: " + what);
                }
                ended(m, false); // its lock ran out in the application's hands
            }
            case MAYBE_COMPLETED, QUEUED -> {
            }
        }
        if (count < m.lo || count > m.hi) {
            throw new AssertionError("JMSXDeliveryCount " + count + " not in " + m.lo + ".." + m.hi + ": " + what);
        }
        if (redelivered != (count > 1)) {
            throw new AssertionError("JMSRedelivered must be true exactly when the count is above 1: " + what);
        }
        m.messageId = messageId;
        m.lastCount = count;
        m.state = State.HELD;
        m.completionInFlight = false;
        boolean nearExpiry = expirableLock && lockedUntil - now < LOCK_MARGIN_MILLIS;
        m.hold = new Hold(session, count, lockedUntil, expirableLock, nearExpiry);
        return expired;
    }

    /** The hold ended without completing: the next count is one more (or, where the rules leave it open, the same). */
    void ended(Msg m, boolean takenMayBeLost) {
        Hold h = m.hold;
        m.state = State.QUEUED;
        m.hold = null;
        m.lo = h.count() + (takenMayBeLost || h.uncertain() ? 0 : 1);
        m.hi = h.count() + 1;
    }

    void completed(Msg m, boolean inFlight) {
        if (inFlight && m.hold != null && m.hold.uncertain()) {
            // handed just as its lock ran out: the completion may have come too late (AUTO does not say)
            maybeCompleted(m);
            return;
        }
        m.completions++;
        if (m.completions > 1) {
            throw new AssertionError("completed twice: " + m);
        }
        m.state = State.COMPLETED;
        m.completionInFlight = inFlight;
        m.hold = null;
    }

    void maybeCompleted(Msg m) {
        int count = m.lastCount;
        // a completion counted before (an AUTO completion in flight when the connection dropped) may never have
        // reached the broker: if the message comes back, completing it then is its first completion, not its second
        m.completions = 0;
        m.state = State.MAYBE_COMPLETED;
        m.hold = null;
        m.completionInFlight = false;
        m.lo = count;
        m.hi = count + 1;
    }

    /** Messages a session holds now. */
    List<Msg> heldBy(int session) {
        List<Msg> held = new ArrayList<>();
        for (Msg m : messages.values()) {
            if (m.state == State.HELD && m.hold.session() == session) {
                held.add(m);
            }
        }
        return held;
    }
}
