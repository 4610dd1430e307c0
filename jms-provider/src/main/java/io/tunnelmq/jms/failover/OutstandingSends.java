package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One session's sends the broker has not confirmed yet, in send order, and what becomes of them when a link is
 * lost. A stamped send (persistent, not transacted) is resent with the same stamp, and the broker stores it once; an
 * unstamped send that was written is non-persistent or transacted, so it is given up as JMS allows (a transaction
 * that lost a send rolls back at its commit); an unstamped send never written is sent again. Sends issued while the
 * connection is down wait here, behind the resends.
 *
 * <p>The list is guarded by this object's monitor, held while sends are handed to the inner session so they keep
 * their order; outer futures are completed after it is released.
 */
final class OutstandingSends {
    private final FailoverSession session;
    private final ArrayDeque<Outstanding> list = new ArrayDeque<>();
    /** Some send waits to be written (again) on a newer link. */
    private boolean behind;

    OutstandingSends(FailoverSession session) {
        this.session = session;
    }

    /** Sends at once while the connection is up, or keeps the send until it is restored. */
    SendTicket send(WireMessage message, ProducerStamp stamp) {
        return send(message, stamp, false);
    }

    /** As {@link #send(WireMessage, ProducerStamp)}; {@code unanswered}: by {@link EngineSession#sendUnanswered}. */
    SendTicket send(WireMessage message, ProducerStamp stamp, boolean unanswered) {
        Outstanding s = new Outstanding(message, stamp, unanswered);
        List<Outstanding> given = null;
        synchronized (this) {
            // checked under this lock: a give-up or close fails the list under it too, so no send waits for ever
            EngineException over = session.over();
            if (over != null) {
                s.outer.written().completeExceptionally(over);
                s.outer.confirmed().completeExceptionally(over);
                return s.outer;
            }
            list.add(s);
            Bound<EngineSession> b = session.sendable();
            if (b == null) {
                behind = true;
            } else {
                if (behind) {
                    given = writeBehind(b);
                }
                write(s, b);
            }
        }
        completeAll(given);
        return s.outer;
    }

    /** Writes every send that waits on a newer link, in order (after restore, or once the connection is up). */
    void resend(Bound<EngineSession> b) {
        List<Outstanding> given;
        synchronized (this) {
            if (!behind) {
                return;
            }
            given = writeBehind(b);
        }
        completeAll(given);
    }

    /** Fails every send still here: the connection gave up or was closed, or the session closed while down. */
    void failAll(EngineException cause) {
        List<Outstanding> failed;
        synchronized (this) {
            failed = new ArrayList<>(list);
            list.clear();
            behind = false;
        }
        for (Outstanding s : failed) {
            s.outer.written().completeExceptionally(cause);
            s.outer.confirmed().completeExceptionally(cause);
        }
    }

    /** Sends waiting here, for tests and logs. */
    synchronized int size() {
        return list.size();
    }

    private List<Outstanding> writeBehind(Bound<EngineSession> b) {
        List<Outstanding> given = null;
        for (Iterator<Outstanding> it = list.iterator(); it.hasNext(); ) {
            Outstanding s = it.next();
            if (s.link == b.link()) {
                continue;
            }
            if (s.link != null && s.stamp == null && s.writtenOn == s.link) {
                it.remove(); // written on a lost link and not persistent: given up as JMS allows
                given = given == null ? new ArrayList<>() : given;
                given.add(s);
            } else {
                write(s, b);
            }
        }
        behind = false;
        return given;
    }

    private void write(Outstanding s, Bound<EngineSession> b) {
        Link link = b.link();
        s.link = link;
        SendTicket inner = s.unanswered ? b.inner().sendUnanswered(s.message) : b.inner().send(s.message, s.stamp);
        if (inner.confirmedOnceWritten()) {
            inner.confirmed().whenComplete((v, e) -> {
                if (e == null) {
                    s.writtenOn = link;
                }
                confirmed(s, link, e);
            });
            return;
        }
        inner.written().whenComplete((v, e) -> {
            if (e == null) {
                s.writtenOn = link;
                s.outer.written().complete(null);
            }
        });
        inner.confirmed().whenComplete((v, e) -> confirmed(s, link, e));
    }

    private void confirmed(Outstanding s, Link link, Throwable error) {
        if (error == null) {
            synchronized (this) {
                list.remove(s);
            }
            s.outer.written().complete(null);
            s.outer.confirmed().complete(null);
            return;
        }
        EngineException cause = Failures.unwrap(error);
        if (!session.connection().isLoss(cause, link)) {
            synchronized (this) {
                list.remove(s);
            }
            s.outer.written().completeExceptionally(cause);
            s.outer.confirmed().completeExceptionally(cause);
            return;
        }
        boolean given;
        synchronized (this) {
            if (s.link != link) {
                return; // already sent again on a newer link
            }
            given = s.stamp == null && s.writtenOn == link;
            if (given) {
                list.remove(s);
            } else {
                s.link = null;
                behind = true;
            }
        }
        if (given) {
            s.outer.written().complete(null);
            s.outer.confirmed().complete(null);
        } else {
            session.flushSends(); // the link may have been replaced already; otherwise restore resends it
        }
    }

    private static void completeAll(List<Outstanding> given) {
        if (given != null) {
            for (Outstanding s : given) {
                s.outer.written().complete(null);
                s.outer.confirmed().complete(null);
            }
        }
    }

    /** One send and the outer ticket the facade holds for it. */
    private static final class Outstanding {
        final WireMessage message;
        final ProducerStamp stamp;
        final boolean unanswered;
        /** Two futures even for an unanswered send: the broker of the link it goes on may answer it after all. */
        final SendTicket outer = new SendTicket(new CompletableFuture<>(), new CompletableFuture<>());
        /** The link it was last written to, null while it waits; guarded by the list's monitor. */
        Link link;
        /** The link on which the inner ticket said written. */
        volatile Link writtenOn;

        Outstanding(WireMessage message, ProducerStamp stamp, boolean unanswered) {
            this.message = message;
            this.stamp = stamp;
            this.unanswered = unanswered;
        }
    }
}
