package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Throttle;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.queue.MemoryTracker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker side of a connection's send window. Free space is
 * {@code min(receive buffer - bytes received not yet accepted, memory limit - memory used)}; this broker accepts
 * a message the moment it arrives (into a queue, or staged in a transaction, which counts as memory), so only
 * the memory term moves. Every report (Welcome, Ok, WindowUpdate) grants the client the right to send that many
 * more bytes than the broker had received when it reported; a report made while memory is over its limit grants
 * nothing, so an overshoot stays owed. A client that overshoots its grant by more than a whole receive buffer is
 * refused. After a report below the low-water mark (a quarter of the buffer) the window
 * waits for memory to be released and then sends a {@link WindowUpdate}, so a client with a spent window and
 * nothing in flight is never stuck.
 *
 * <p>A queue has a memory limit of its own. The {@code Ok} of a send to a queue reports at most the queue's free
 * space; once that is below the queue's low-water mark, the whole connection's window stays closed (every report is
 * capped by that queue's space) until the queue drains, and then a {@link WindowUpdate} reopens it. So producers to
 * a full queue are held by their window — never refused or disconnected — and a queue overshoots its limit by at
 * most one receive buffer per producing connection.
 *
 * <p>The disk counts too: once the messages kept on disk (stored or paged out) reach the disk limit, the window
 * closes until messages leave, and the client is sent a {@link WindowUpdate} saying so, which a send that times out
 * waiting reports to the application.
 *
 * <p>A report's figure counts from a point in the client's stream of sends: an {@code Ok} of a send from the end of
 * that send ({@link #reportAfterSend}), a {@link WindowUpdate} from the bytes received so far, which it names to a
 * client that sends unanswered sends. Those two are the grants such a client keeps; the figures in the answers to other
 * requests ({@link #report()}) only pace older clients. Unanswered sends are reported when the last grant is half
 * spent ({@link #afterUnansweredSend}), in one {@link WindowUpdate} per event-loop round.
 *
 * <p>Confined to the connection's event loop, except the memory waiter, which only schedules a check there.
 */
final class ReceiveWindow {
    private static final Logger log = LoggerFactory.getLogger(ReceiveWindow.class);
    /** The disk-limit warning is logged at most once a minute, broker-wide. */
    private static final Throttle DISK_WARNINGS = Throttle.perMinute();
    private final String connectionId;
    private final long capacity;
    private final long lowWater;
    private final MemoryTracker memory;
    /** The bytes of messages kept on disk, against the disk limit (maxDiskBytes). */
    private final MemoryTracker disk;
    private final FrameSink sink;
    private final AtomicBoolean checkScheduled = new AtomicBoolean();
    private final Runnable waiter = this::spaceReleased;
    /** Told each time the window closes (a report below the low-water mark starts a wait for memory). */
    private final Runnable stalled;
    /** The client reads {@link WindowUpdate#received()} (it may send unanswered sends). */
    private final boolean tellsReceived;

    private long received;
    private long grantedUpTo;
    /**
     * How far (in received bytes) the latest report the client counts from ({@code Ok} of a send, WindowUpdate,
     * Welcome) lets it send; the client sees the same figure once the report arrives.
     */
    private long exactGrant;
    private boolean reportScheduled;
    private long lastReported;
    /** The queue whose lack of space holds this connection's window closed, or null. */
    private MemoryTracker fullQueue;
    private boolean waiting;
    private boolean closed;

    ReceiveWindow(String connectionId, long capacity, MemoryTracker memory, FrameSink sink) {
        this(connectionId, capacity, memory, sink, () -> { });
    }

    ReceiveWindow(String connectionId, long capacity, MemoryTracker memory, FrameSink sink, Runnable stalled) {
        this(connectionId, capacity, memory, new MemoryTracker(Long.MAX_VALUE), sink, stalled);
    }

    ReceiveWindow(String connectionId, long capacity, MemoryTracker memory, MemoryTracker disk, FrameSink sink,
                  Runnable stalled) {
        this(connectionId, capacity, memory, disk, sink, stalled, false);
    }

    /** @param tellsReceived the client reads {@link WindowUpdate#received()} */
    ReceiveWindow(String connectionId, long capacity, MemoryTracker memory, MemoryTracker disk, FrameSink sink,
                  Runnable stalled, boolean tellsReceived) {
        this.stalled = stalled;
        this.tellsReceived = tellsReceived;
        this.connectionId = connectionId;
        this.capacity = capacity;
        this.memory = memory;
        this.disk = disk;
        this.sink = sink;
        this.lowWater = Math.max(1, Math.min(capacity, memory.limit()) / 4);
    }

    /** Free bytes now, without reporting them. */
    long free() {
        return Math.max(0, headroom());
    }

    /**
     * Free bytes, negative when the broker holds more than its memory limit (other connections' sends can push
     * it over). Grants use this figure, so bytes sent beyond the limit stay owed until memory is released.
     */
    private long headroom() {
        long headroom = Math.min(Math.min(capacity, memory.limit() - memory.used()), diskHeadroom());
        return fullQueue == null ? headroom : Math.min(headroom, fullQueue.limit() - fullQueue.used());
    }

    private long diskHeadroom() {
        return disk.limit() - disk.used();
    }

    /** A queue's low-water mark: a quarter of its limit, at most the connection's. */
    private long lowWater(MemoryTracker queue) {
        return Math.max(1, Math.min(lowWater, queue.limit() / 4));
    }

    /**
     * Counts a received message against the window, even one refused here: the client counts every send it wrote.
     *
     * @return the bytes received so far, this message included: where an {@code Ok} of it counts from
     * @throws BrokerException {@code RESOURCE_EXHAUSTED} if the client is far beyond what it was granted
     */
    long admit(int bytes) {
        received += bytes;
        long beyond = received - grantedUpTo;
        if (beyond > capacity) {
            throw new BrokerException(ErrorCode.RESOURCE_EXHAUSTED, "connection " + connectionId + " sent " + beyond
                    + " bytes beyond the send window the broker granted (receive buffer " + capacity
                    + " bytes, broker memory " + memory.used() + " of " + memory.limit() + " bytes used); the message"
                    + " was refused: wait for the free bytes reported in Ok and WindowUpdate frames before sending");
        }
        return received;
    }

    /** The free bytes to put in a Welcome; the client may send that much. */
    long reportWelcome() {
        long headroom = headroom();
        grantedExactly(headroom);
        return Math.max(0, headroom);
    }

    /**
     * The free bytes to put in the answer to a request other than a send. A client that sends unanswered sends does
     * not count from it (it cannot tell where it counts from), so it grants nothing such a client is owed; it closes
     * the window for an older client when low, like any report, and the window then reopens by {@link WindowUpdate}.
     */
    long report() {
        long headroom = headroom();
        grantedUpTo = Math.max(grantedUpTo, received + headroom);
        if (headroom < lowWater) {
            granted(headroom);
        }
        return Math.max(0, headroom);
    }

    /**
     * The free bytes to put in the Ok of a send, counted from the end of that send ({@code mark}, from
     * {@link #admit}): at most the free space of the queue it went to ({@code queue}; null for a topic), and if the
     * queue is full, the window stays closed until it drains.
     */
    long reportAfterSend(long mark, MemoryTracker queue) {
        noteFull(queue);
        long headroom = headroom(queue);
        grantedExactly(headroom);
        return Math.max(0, exactGrant - mark);
    }

    /**
     * An unanswered send was taken ({@code queue}: the memory of the queue it went to, null for a topic). Once the
     * last grant is half spent, a {@link WindowUpdate} goes at the end of this event-loop round: it reports every
     * unanswered send read in the round at once.
     */
    void afterUnansweredSend(MemoryTracker queue) {
        noteFull(queue);
        if (!reportScheduled && exactGrant - received < capacity / 2) {
            reportScheduled = true;
            sink.execute(() -> {
                reportScheduled = false;
                if (!closed) {
                    sendUpdate(headroom(), null);
                }
            });
        }
    }

    private void noteFull(MemoryTracker queue) {
        if (queue != null && fullQueue == null && queue.free() < lowWater(queue)) {
            fullQueue = queue;
        }
    }

    private long headroom(MemoryTracker queue) {
        return queue == null ? headroom() : Math.min(headroom(), queue.limit() - queue.used());
    }

    /** Grants {@code headroom} in a WindowUpdate, naming how far it reaches if the client reads it. */
    private void sendUpdate(long headroom, String reason) {
        grantedExactly(headroom);
        sink.send(new WindowUpdate(Math.max(0, headroom), reason, tellsReceived ? received : -1));
    }

    /** Stops waiting for memory (the connection is closing). */
    void close() {
        closed = true;
        stopWaiting();
    }

    /** A grant the client counts from (Welcome, Ok of a send, WindowUpdate): also the one the half rule measures. */
    private void grantedExactly(long headroom) {
        granted(headroom);
        exactGrant = received + headroom;
    }

    private void granted(long headroom) {
        grantedUpTo = Math.max(grantedUpTo, received + headroom);
        lastReported = Math.max(0, headroom);
        if (headroom < lowWater && !closed) {
            if (!waiting) {
                waiting = true;
                stalled.run();
                memory.waitForSpace(waiter);
                disk.waitForSpace(waiter);
                if (diskHeadroom() < lowWater) {
                    diskFull();
                }
                // memory released between measuring and registering would otherwise go unnoticed: either news
                // checkForUpdate looks for (the full queue drained, or room under the connection's mark)
                if (fullQueue != null && fullQueue.free() >= lowWater(fullQueue) || free() >= lowWater) {
                    spaceReleased();
                }
            }
        } else {
            stopWaiting();
        }
    }

    private void stopWaiting() {
        if (waiting) {
            waiting = false;
            memory.stopWaiting(waiter);
            disk.stopWaiting(waiter);
        }
    }

    /** The window closed because the disk limit is reached: the client hears why, the operator is told. */
    private void diskFull() {
        String reason = "the broker's disk limit is reached: " + disk.used() + " of " + disk.limit() + " bytes of"
                + " messages are kept on disk (maxDiskBytes); sends wait until consumers take messages";
        // after the frame that reported the figure (an Ok, or the Welcome of a handshake still under way), with the
        // figure of then, as any WindowUpdate
        sink.execute(() -> {
            if (!closed) {
                sendUpdate(headroom(), reason);
            }
        });
        if (DISK_WARNINGS.pass()) {
            log.warn("{}; producers wait (connection {} is the first this minute)", reason, connectionId);
        }
    }

    /** Any thread: memory was released somewhere in the broker. */
    private void spaceReleased() {
        if (checkScheduled.compareAndSet(false, true)) {
            sink.execute(this::checkForUpdate);
        }
    }

    private void checkForUpdate() {
        checkScheduled.set(false);
        if (closed || !waiting) {
            return;
        }
        if (fullQueue != null && fullQueue.free() >= lowWater(fullQueue)) {
            fullQueue = null; // drained: the connection's window may open again
        }
        long headroom = headroom();
        // only news: a figure above the low-water mark (of the full queue, if any) and above the last report
        long mark = fullQueue == null ? lowWater : lowWater(fullQueue);
        if (headroom >= mark && headroom > lastReported) {
            sendUpdate(headroom, null);
        }
    }
}
