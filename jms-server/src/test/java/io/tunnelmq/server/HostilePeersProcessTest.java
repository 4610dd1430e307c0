package io.tunnelmq.server;

import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack, against a broker in its own JVM with a 256 MiB heap and 64 MiB of direct memory: 40 peers
 * announcing 16 MiB frames and trickling, 500 slowloris peers (a byte per 100 ms) and 2,000 idle connections, all at
 * once from 8 addresses — while a normal client's send round trips go on (under 100 ms on an idle machine). Every
 * hostile peer must be closed by the handshake deadline (3 s here), and the broker must stay up without an
 * OutOfMemoryError.
 */
@Timeout(90)
class HostilePeersProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on tmq://([^:]+):(\\d+)");
    private static final int BIG = 40;
    private static final int SLOW = 500;
    private static final int IDLE = 2_000;
    private static final long DEADLINE_MILLIS = 3_000;

    @TempDir
    Path dir;
    private Process broker;
    private final StringBuffer output = new StringBuffer();

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void hostilePeersAreClosedAndANormalClientKeepsItsPace() throws Exception {
        InetSocketAddress address = startBroker();
        List<Long> roundTrips = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean attacking = new AtomicBoolean(true);
        CompletableFuture<Void> normal = CompletableFuture.runAsync(() -> roundTrips(address, attacking, roundTrips));

        List<Peer> peers = new ArrayList<>();
        long start = System.nanoTime();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < BIG + SLOW + IDLE; i++) {
                Kind kind = i < BIG ? Kind.BIG : i < BIG + SLOW ? Kind.SLOW : Kind.IDLE;
                peers.add(Peer.open(selector, address, "127.0.0." + (2 + i % 8), kind));
            }
            long opened = System.nanoTime();
            long lastTick = 0;
            while (peers.stream().anyMatch(p -> p.closedAtNanos == 0)
                    && System.nanoTime() - opened < TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS + 10_000)) {
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Peer) key.attachment()).drain();
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - lastTick >= TimeUnit.MILLISECONDS.toNanos(100)) {
                    lastTick = System.nanoTime();
                    peers.forEach(Peer::trickle);
                }
            }
        } finally {
            attacking.set(false);
            peers.forEach(Peer::close);
        }
        normal.get(30, TimeUnit.SECONDS);

        long lastClosedMillis = TimeUnit.NANOSECONDS.toMillis(
                peers.stream().mapToLong(p -> p.closedAtNanos).max().orElseThrow() - start);
        assertThat(peers).as("every hostile peer closed by the broker").allMatch(p -> p.closedAtNanos > 0);
        assertThat(lastClosedMillis).as("closed by the absolute deadline").isLessThan(DEADLINE_MILLIS + 6_000);
        assertThat(broker.isAlive()).isTrue();
        assertThat(output.toString()).doesNotContain("OutOfMemoryError");

        List<Long> sorted = new ArrayList<>(roundTrips);
        Collections.sort(sorted);
        assertThat(sorted).as("round trips made during the attack").hasSizeGreaterThan(20);
        long p95 = sorted.get(sorted.size() * 95 / 100);
        System.out.printf("hostile peers: %d connections, last closed after %d ms; normal client: %d round trips,"
                + " median %d ms, p95 %d ms, max %d ms%n", peers.size(), lastClosedMillis, sorted.size(),
                sorted.get(sorted.size() / 2), p95, sorted.get(sorted.size() - 1));
        // the target is 100 ms, met with room to spare on an idle machine (p95 ~5 ms); a unit test on a shared
        // 2-core CI box only guards against a broker that stalls (a 16 MiB allocation, a login on the event loop,
        // GC thrash near the heap limit), which shows as seconds
        assertThat(p95).as("95th percentile round trip, ms").isLessThan(1_000);
        // complaints are throttled per address: 8 addresses, not thousands of lines
        assertThat(output.toString().lines().filter(l -> l.contains("closed before login")).count())
                .isLessThan(50);
    }

    private InetSocketAddress startBroker() throws Exception {
        Path config = Files.writeString(dir.resolve("broker.properties"),
                "store=memory\nhandshakeTimeout=" + DEADLINE_MILLIS + "\n");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:MaxDirectMemorySize=64m", "-cp", System.getProperty("java.class.path"),
                "io.tunnelmq.server.Broker", "--port", "0", "--config", config.toString());
        broker = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("the broker ended:\n" + output));
        }, "broker-output");
        reader.setDaemon(true);
        reader.start();
        return listening.get(30, TimeUnit.SECONDS);
    }

    private static void roundTrips(InetSocketAddress address, AtomicBoolean attacking, List<Long> millis) {
        try (TestClient client = TestClient.open(address.getHostString(), address.getPort())) {
            int session = client.openSession(false);
            WireDestination queue = WireDestination.queue("pace");
            while (attacking.get()) {
                long t0 = System.nanoTime();
                client.sendMessage(session, text(queue, "ping"));
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                TimeUnit.MILLISECONDS.sleep(20); // pacing between round trips, not waiting for a condition
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private enum Kind { BIG, SLOW, IDLE }

    /** One hostile connection, non-blocking; it knows when the broker closed it. */
    private static final class Peer {
        private static final ByteBuffer SCRATCH = ByteBuffer.allocate(4096);
        final SocketChannel channel;
        final Kind kind;
        long closedAtNanos;

        private Peer(SocketChannel channel, Kind kind) {
            this.channel = channel;
            this.kind = kind;
        }

        static Peer open(Selector selector, InetSocketAddress broker, String from, Kind kind) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(from, 0));
            channel.connect(broker);
            channel.configureBlocking(false);
            Peer peer = new Peer(channel, kind);
            channel.register(selector, SelectionKey.OP_READ, peer);
            switch (kind) {
                case BIG -> peer.write(ByteBuffer.allocate(4).putInt(0, 16 * 1024 * 1024 - 4));
                case SLOW -> peer.write(ByteBuffer.allocate(4).putInt(0, 4_000));
                case IDLE -> {
                }
            }
            return peer;
        }

        void trickle() {
            switch (kind) {
                case BIG, SLOW -> write(ByteBuffer.wrap(new byte[]{1}));
                case IDLE -> {
                }
            }
        }

        /** Reads what the broker sent (its error frame) until it closes. */
        void drain() {
            try {
                int n;
                do {
                    SCRATCH.clear();
                    n = channel.read(SCRATCH);
                } while (n > 0);
                if (n < 0) {
                    closed();
                }
            } catch (IOException reset) {
                closed();
            }
        }

        private void write(ByteBuffer bytes) {
            if (closedAtNanos != 0) {
                return;
            }
            try {
                channel.write(bytes);
            } catch (IOException reset) {
                closed();
            }
        }

        private void closed() {
            if (closedAtNanos == 0) {
                closedAtNanos = System.nanoTime();
                close();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
