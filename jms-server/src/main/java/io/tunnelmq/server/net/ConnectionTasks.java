package io.tunnelmq.server.net;

import io.netty.channel.Channel;
import io.tunnelmq.server.session.BrokerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The work other threads hand one connection (deliveries, completed writes, operators' questions), run in the order
 * handed over, one task at a time, on whichever event loop the connection's channel is on. A Netty task runs on the
 * loop it was given to: when a connection moves to another loop ({@link LoopMove}), its older tasks would run on the
 * old loop, beside the new one, and after newer ones. Here every task waits in one queue, and one drain at a time,
 * scheduled on the channel's loop of the moment, runs them; none runs while the connection moves.
 * <p>
 * After each drain it asks its {@link LoopAffinity} whether the connection should move, and starts the move.
 */
final class ConnectionTasks implements Executor {
    private static final Logger log = LoggerFactory.getLogger(ConnectionTasks.class);
    /** Tasks one drain runs before it lets the loop's other channels have a turn. */
    private static final int BATCH = 1024;
    private static final AtomicIntegerFieldUpdater<ConnectionTasks> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(ConnectionTasks.class, "scheduled");

    private final Channel channel;
    private final String connectionId;
    private final BrokerLoops loops;
    private final BrokerCounters counters;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final LoopAffinity affinity = new LoopAffinity();
    /** 1 while a drain is on its way to the channel's loop (or the connection moves: its arrival drains). */
    private volatile int scheduled;
    private volatile boolean moving;
    /** The number of the channel's loop. */
    private volatile int home;
    /** How it moves; null while it must stay (not open yet, or closing, or TLS, or affinity off). */
    private LoopMove move;

    /** @param counters counts its moves */
    ConnectionTasks(Channel channel, String connectionId, BrokerLoops loops, BrokerCounters counters) {
        this.channel = channel;
        this.connectionId = connectionId;
        this.loops = loops;
        this.counters = counters;
        this.home = loops.indexOf(channel.eventLoop());
    }

    /** Lets the connection move between loops ({@code move} not null) or keeps it where it is. On its loop. */
    void movable(LoopMove move) {
        this.move = home == BrokerLoops.NOT_A_LOOP ? null : move;
    }

    /**
     * Runs {@code task} on the connection's loop after the tasks handed over before it. Any thread.
     *
     * @throws RejectedExecutionException if the loop has shut down
     */
    @Override
    public void execute(Runnable task) {
        affinity.count(loops.current(), home);
        queue.offer(task);
        if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled = 0;
                throw e;
            }
        }
    }

    /** Tallies a frame read from the client (activity that keeps a connection where it is). On its loop. */
    void read() {
        affinity.read();
    }

    private void drain() {
        if (moving) {
            return; // the arrival drains
        }
        if (!channel.eventLoop().inEventLoop()) { // handed to the loop the connection has since left
            follow();
            return;
        }
        scheduled = 0;
        for (int i = 0; i < BATCH; i++) {
            Runnable task = queue.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.warn("connection {}: a task failed", connectionId, e);
            }
        }
        drainAgainIfWaiting();
        if (move != null) {
            rebalance();
        }
    }

    /** Sends a drain after tasks still waiting, unless one is on its way. */
    private void drainAgainIfWaiting() {
        if (!queue.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1)) {
            follow();
        }
    }

    private void follow() {
        try {
            channel.eventLoop().execute(this::drain);
        } catch (RejectedExecutionException e) {
            log.debug("connection {}: event loop has shut down; {} task(s) dropped", connectionId, queue.size());
        }
    }

    private void rebalance() {
        long now = System.nanoTime();
        int from = home;
        int to = affinity.target(now, from);
        if (to == LoopAffinity.STAY) {
            return;
        }
        moving = true;
        scheduled = 1; // no drain goes out while it moves: the arrival drains
        if (move.start(loops.get(to), this::arrived)) {
            affinity.moved(now, from, to);
            counters.connectionMoved();
            log.debug("connection {}: moves from event loop {} to {}", connectionId, from, to);
        } else {
            settled();
        }
    }

    /** The move ended (on the loop that now owns the channel, or the old one if it failed). */
    private void arrived() {
        home = loops.indexOf(channel.eventLoop());
        settled();
    }

    /** Not moving (any more): drains may go out again, and one goes for the tasks that waited. */
    private void settled() {
        moving = false;
        scheduled = 0;
        drainAgainIfWaiting();
    }
}
