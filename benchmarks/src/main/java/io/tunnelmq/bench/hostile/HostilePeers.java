package io.tunnelmq.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14's hostile peers against a TunnelMQ broker, kept up for as long as they run: every peer the broker closes
 * (or an idle one closes itself) is opened again on the next tick, so the attack does not end when the broker's
 * handshake deadline has closed the first wave. One thread, one selector, non-blocking sockets after a blocking
 * connect; peers connect from several loopback addresses (127.0.0.2 and up), as many as the plan says, so the
 * broker's per-address limit alone does not stop them.
 */
public final class HostilePeers implements AutoCloseable {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    /**
     * How many peers of each kind are open at once, and how they behave.
     *
     * @param slowByteEvery how often a slowloris peer sends its next byte
     * @param idleFor       how long an idle peer waits before it closes (each peer of the first wave a share of it
     *                      between ½ and 1½, so they do not all reconnect on the same tick)
     * @param addresses     loopback addresses the peers connect from, 127.0.0.2 onwards
     */
    public record Plan(int bigFrame, int slowloris, int idle, Duration slowByteEvery, Duration idleFor,
                       int addresses) {
        /** The issue's numbers: 40 big-frame, 500 slowloris (a byte every 3 s), 2,000 idle (5 s), 16 addresses. */
        public static final Plan ISSUE_14 = new Plan(40, 500, 2_000, Duration.ofSeconds(3), Duration.ofSeconds(5), 16);

        public Plan {
            if (bigFrame < 0 || slowloris < 0 || idle < 0 || addresses < 1 || addresses > 250) {
                throw new IllegalArgumentException("peer counts must be >= 0 and addresses 1..250");
            }
        }

        int total() {
            return bigFrame + slowloris + idle;
        }

        PeerKind kindOf(int slot) {
            return slot < bigFrame ? PeerKind.BIG_FRAME : slot < bigFrame + slowloris ? PeerKind.SLOWLORIS
                    : PeerKind.IDLE;
        }
    }

    private final InetSocketAddress broker;
    private final Plan plan;
    private final Peer[] slots;
    private final long[] idleNanos;
    private final Counts counts = new Counts();
    private final CountDownLatch firstWave = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable crash;

    private HostilePeers(InetSocketAddress broker, Plan plan) {
        this.broker = broker;
        this.plan = plan;
        this.slots = new Peer[plan.total()];
        this.idleNanos = new long[plan.total()];
        for (int i = 0; i < idleNanos.length; i++) {
            idleNanos[i] = (long) (plan.idleFor().toNanos() * (0.5 + (i % 100) / 100.0));
        }
        this.thread = new Thread(this::attack, "hostile-peers");
        thread.setDaemon(true);
    }

    /**
     * Opens every peer of the plan, and returns once the first wave has tried to connect; they go on until
     * {@link #stop()}.
     */
    public static HostilePeers start(InetSocketAddress broker, Plan plan) throws InterruptedException {
        HostilePeers peers = new HostilePeers(broker, plan);
        peers.thread.start();
        if (!peers.firstWave.await(2, TimeUnit.MINUTES)) {
            peers.close();
            throw new IllegalStateException("the hostile peers could not open their first " + plan.total()
                    + " connections within 2 minutes");
        }
        return peers;
    }

    private void attack() {
        try (Selector selector = Selector.open()) {
            long now = System.nanoTime();
            tick(selector, now);
            firstWave.countDown();
            long lastTick = now;
            while (running) {
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Peer) key.attachment()).drain();
                }
                selector.selectedKeys().clear();
                now = System.nanoTime();
                if (now - lastTick >= TICK_NANOS) {
                    lastTick = now;
                    tick(selector, now);
                }
            }
        } catch (IOException | RuntimeException e) {
            crash = e;
        } finally {
            for (Peer peer : slots) {
                if (peer != null) {
                    peer.close();
                }
            }
            firstWave.countDown();
        }
    }

    /** Counts and replaces the closed peers, and lets every open one do its next step. */
    private void tick(Selector selector, long now) {
        int open = 0;
        for (int i = 0; i < slots.length; i++) {
            Peer peer = slots[i];
            if (peer != null && peer.closed()) {
                counts.closed(peer, now);
                peer = null;
            }
            if (peer == null) {
                peer = open(selector, i);
                slots[i] = peer;
            } else {
                step(peer, i, now);
            }
            if (peer != null && !peer.closed()) {
                open++;
            }
        }
        counts.open(open);
    }

    private Peer open(Selector selector, int slot) {
        PeerKind kind = plan.kindOf(slot);
        String from = "127.0.0." + (2 + slot % plan.addresses());
        try {
            Peer peer = Peer.open(selector, broker, from, kind, CONNECT_TIMEOUT_MILLIS);
            counts.opened(kind);
            return peer;
        } catch (IOException e) {
            counts.connectFailed(e);
            return null;
        }
    }

    private void step(Peer peer, int slot, long now) {
        switch (peer.kind) {
            case BIG_FRAME -> peer.trickle(now);
            case SLOWLORIS -> {
                if (now - peer.lastByteNanos() >= plan.slowByteEvery().toNanos()) {
                    peer.trickle(now);
                }
            }
            case IDLE -> {
                if (now - peer.openedNanos >= idleNanos[slot]) {
                    peer.closeItself();
                }
            }
        }
    }

    /** What the peers have seen so far. */
    public Summary summary() {
        return counts.summary(plan);
    }

    /** Stops the attack, closes every peer and says what happened. */
    public Summary stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (crash != null) {
            throw new IllegalStateException("the hostile peers stopped early: " + crash, crash);
        }
        return summary();
    }

    @Override
    public void close() {
        running = false;
    }

    /** What the peers saw: written by the attack thread, read by whoever asks for a summary. */
    private static final class Counts {
        final Map<PeerKind, Long> opened = new EnumMap<>(PeerKind.class);
        final Map<PeerKind, Long> closedByBroker = new EnumMap<>(PeerKind.class);
        final Map<PeerKind, Long> closedByItself = new EnumMap<>(PeerKind.class);
        final Map<PeerKind, Long> longestLifeNanos = new EnumMap<>(PeerKind.class);
        long connectFailures;
        String lastConnectFailure;
        int maxOpen;

        synchronized void opened(PeerKind kind) {
            opened.merge(kind, 1L, Long::sum);
        }

        synchronized void connectFailed(IOException e) {
            connectFailures++;
            lastConnectFailure = e.toString();
        }

        synchronized void open(int now) {
            maxOpen = Math.max(maxOpen, now);
        }

        synchronized void closed(Peer peer, long now) {
            (peer.closedByItself() ? closedByItself : closedByBroker).merge(peer.kind, 1L, Long::sum);
            if (!peer.closedByItself()) {
                longestLifeNanos.merge(peer.kind, now - peer.openedNanos, Math::max);
            }
        }

        synchronized Summary summary(Plan plan) {
            return new Summary(plan, Map.copyOf(opened), Map.copyOf(closedByBroker), Map.copyOf(closedByItself),
                    Map.copyOf(longestLifeNanos), connectFailures, lastConnectFailure, maxOpen);
        }
    }

    /**
     * What the attack did.
     *
     * @param longestLifeNanos per kind, the longest a peer the broker closed had lived (the broker's handshake
     *                         deadline, give or take a tick)
     * @param maxOpen          the most peers open at once, as counted on a tick
     */
    public record Summary(Plan plan, Map<PeerKind, Long> opened, Map<PeerKind, Long> closedByBroker,
                          Map<PeerKind, Long> closedByItself, Map<PeerKind, Long> longestLifeNanos,
                          long connectFailures, String lastConnectFailure, int maxOpen) {

        public long opened(PeerKind kind) {
            return opened.getOrDefault(kind, 0L);
        }

        public long closedByBroker(PeerKind kind) {
            return closedByBroker.getOrDefault(kind, 0L);
        }

        public long closedByItself(PeerKind kind) {
            return closedByItself.getOrDefault(kind, 0L);
        }

        public String describe() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "hostile peers from %d addresses, %,d "
                    + "open at most:", plan.addresses(), maxOpen));
            for (PeerKind kind : PeerKind.values()) {
                text.append(String.format(Locale.ROOT, " %s %,d opened, %,d closed by the broker", name(kind),
                        opened(kind), closedByBroker(kind)));
                Long life = longestLifeNanos.get(kind);
                if (life != null) {
                    text.append(String.format(Locale.ROOT, " (the longest after %.1f s)", life / 1e9));
                }
                if (kind == PeerKind.IDLE) {
                    text.append(String.format(Locale.ROOT, ", %,d by themselves", closedByItself(kind)));
                }
                text.append(';');
            }
            text.append(String.format(Locale.ROOT, " %,d connects failed", connectFailures));
            if (lastConnectFailure != null) {
                text.append(" (last: ").append(lastConnectFailure).append(')');
            }
            return text.toString();
        }

        private static String name(PeerKind kind) {
            return switch (kind) {
                case BIG_FRAME -> "16 MiB-frame";
                case SLOWLORIS -> "slowloris";
                case IDLE -> "idle";
            };
        }
    }
}
