package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.SendListener;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One session's sends the broker has not confirmed yet, in send order, and what becomes of them when a link is
 * lost. A stamped send (persistent, not transacted) is resent with the same stamp, and the broker stores it once; an
 * unstamped send that was written is non-persistent or transacted, so it is given up as JMS allows (a transaction
 * that lost a send rolls back at its commit); an unstamped send never written is sent again. Sends issued while the
 * connection is down wait here, behind the resends.
 *
 * <p>The list is guarded by this object's monitor, held while sends are handed to the inner session so they keep
 * their order; the layer above is told of its sends after it is released. A send's inner session tells of it on its
 * event loop, without the monitor: a confirmation only marks the send, and the next send drops it from the list.
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
        SendTicket ticket = SendTicket.open();
        send(message, stamp, ticket, false);
        return ticket;
    }

    /**
     * As {@link #send(WireMessage, ProducerStamp)}, telling {@code outer} what becomes of the send.
     *
     * @param unanswered by {@link EngineSession#sendUnanswered}
     */
    void send(WireMessage message, ProducerStamp stamp, SendListener outer, boolean unanswered) {
        Outstanding s = new Outstanding(message, stamp, outer, unanswered);
        List<Outstanding> given = null;
        EngineException over;
        synchronized (this) {
            // checked under this lock: a give-up or close fails the list under it too, so no send waits for ever
            over = session.over();
            if (over == null) {
                pruneConfirmed();
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
        }
        if (over != null) {
            outer.onFailed(over);
        }
        confirmAll(given);
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
        confirmAll(given);
    }

    /** Fails every send still here: the connection gave up or was closed, or the session closed while down. */
    void failAll(EngineException cause) {
        List<Outstanding> failed = new ArrayList<>();
        synchronized (this) {
            for (Outstanding s : list) {
                if (!s.confirmed) {
                    failed.add(s);
                }
            }
            list.clear();
            behind = false;
        }
        for (Outstanding s : failed) {
            s.outer.onFailed(cause);
        }
    }

    /** Sends waiting here, for tests and logs. */
    synchronized int size() {
        pruneConfirmed();
        int n = 0;
        for (Outstanding s : list) {
            n += s.confirmed ? 0 : 1;
        }
        return n;
    }

    /**
     * Drops the confirmed sends at the front. A send's confirmation only marks it (on the event loop, without this
     * lock): the application's thread drops it here at its next send.
     */
    private void pruneConfirmed() {
        while (!list.isEmpty() && list.peekFirst().confirmed) {
            list.pollFirst();
        }
    }

    private List<Outstanding> writeBehind(Bound<EngineSession> b) {
        List<Outstanding> given = null;
        for (Iterator<Outstanding> it = list.iterator(); it.hasNext(); ) {
            Outstanding s = it.next();
            if (s.confirmed) {
                it.remove();
                continue;
            }
            if (s.link == b.link()) {
                continue;
            }
            if (s.link != null && s.stamp == null && s.writtenOn == s.link) {
                it.remove(); // written on a lost link and not persistent: given up as JMS allows
                s.confirmed = true;
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
        Attempt attempt = new Attempt(s, link);
        if (s.unanswered) {
            b.inner().sendUnanswered(s.message, attempt);
            return;
        }
        b.inner().send(s.message, s.stamp).tell(attempt);
    }

    private void failed(Outstanding s, Link link, EngineException cause) {
        if (s.confirmed) {
            return; // another link's writing of it was confirmed, or it was given up: the layer above knows
        }
        if (!session.connection().isLoss(cause, link)) {
            synchronized (this) {
                list.remove(s);
            }
            s.outer.onFailed(cause);
            return;
        }
        boolean given;
        synchronized (this) {
            if (s.link != link) {
                return; // already sent again on a newer link
            }
            given = s.stamp == null && s.writtenOn == link;
            if (given) {
                s.confirmed = true;
                list.remove(s);
            } else {
                s.link = null;
                behind = true;
            }
        }
        if (given) {
            s.outer.onConfirmed();
        } else {
            session.flushSends(); // the link may have been replaced already; otherwise restore resends it
        }
    }

    private static void confirmAll(List<Outstanding> given) {
        if (given != null) {
            for (Outstanding s : given) {
                s.outer.onConfirmed();
            }
        }
    }

    /** One send and the listener of the layer above, which hears of it once whatever links it goes on. */
    private static final class Outstanding {
        final WireMessage message;
        final ProducerStamp stamp;
        final SendListener outer;
        final boolean unanswered;
        /** The link it was last written to, null while it waits; guarded by the list's monitor. */
        Link link;
        /** The link on which the inner session said written. */
        volatile Link writtenOn;
        /**
         * A link's session confirmed it, or it was given up: nothing becomes of it any more (a later failure on another
         * link is not told), and it is dropped from the list at the next send.
         */
        volatile boolean confirmed;

        Outstanding(WireMessage message, ProducerStamp stamp, SendListener outer, boolean unanswered) {
            this.message = message;
            this.stamp = stamp;
            this.outer = outer;
            this.unanswered = unanswered;
        }
    }

    /** One writing of a send on one link: what that link's session tells of it. */
    private final class Attempt implements SendListener {
        private final Outstanding send;
        private final Link link;

        Attempt(Outstanding send, Link link) {
            this.send = send;
            this.link = link;
        }

        @Override
        public void onWritten() {
            send.writtenOn = link;
            send.outer.onWritten();
        }

        @Override
        public void onConfirmed() {
            send.confirmed = true;
            send.outer.onConfirmed();
        }

        @Override
        public void onFailed(EngineException cause) {
            failed(send, link, cause);
        }
    }
}
