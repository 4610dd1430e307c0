package io.tunnelmq.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.security.PeerLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that never log in cannot make the broker buffer much, stay for ever, or take every connection — and a normal
 * client keeps working meanwhile. Raw sockets against an embedded broker; other source addresses are 127.0.0.x.
 */
@Timeout(30)
class HostilePeersTest {
    private static final WireDestination Q = WireDestination.queue("q");

    private final List<TestClient> clients = new ArrayList<>();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() throws IOException {
        for (TestClient c : clients) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aHugeLengthPrefixBeforeLoginIsRefusedBeforeItsBytesArrive() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        TestClient hostile = track(TestClient.connectFrom(broker, "127.0.0.2"));
        hostile.sendRaw(ByteBuffer.allocate(4).putInt(16 * 1024 * 1024 - 4).array());
        trickle(hostile, 5, 20);

        ErrorFrame error = closedWith(hostile, Duration.ofSeconds(5));
        assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(error.message()).contains("8192");
        assertNormalClientWorks();
    }

    @Test
    void aTrickledHelloIsClosedAtTheAbsoluteDeadline() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config()
                .withPeerLimits(PeerLimits.DEFAULTS.withHandshakeTimeoutMillis(1_000)));
        TestClient slow = track(TestClient.connectFrom(broker, "127.0.0.2"));
        long start = System.nanoTime();
        slow.sendRaw(ByteBuffer.allocate(4).putInt(4_000).array()); // a plausible Hello length, then one byte a tick
        boolean stillSending = trickle(slow, 25, 100);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(stillSending).as("the broker closed the trickling peer").isFalse();
        assertThat(elapsedMillis).isBetween(900L, 2_500L);
        assertNormalClientWorks();
    }

    @Test
    void oneAddressGetsNoMoreThanItsShareOfConnections() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config()
                .withPeerLimits(PeerLimits.DEFAULTS.withMaxConnectionsPerAddress(3)));
        for (int i = 0; i < 3; i++) {
            track(TestClient.connectFrom(broker, "127.0.0.2"));
        }
        BrokerFixture.eventually("three connections held", () -> broker.connectionCount() == 3);
        TestClient fourth = track(TestClient.connectFrom(broker, "127.0.0.2"));
        ErrorFrame error = closedWith(fourth, TestClient.WAIT);
        assertThat(error.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(error.message()).contains("127.0.0.2").contains("maximum of 3 connections");

        assertNormalClientWorks(); // from 127.0.0.1, another address
        clients.get(0).close();
        BrokerFixture.eventually("a slot freed", () -> broker.connectionCount() == 2);
        TestClient again = track(TestClient.connectFrom(broker, "127.0.0.2"));
        again.hello(null, 0, java.util.Map.of());
    }

    @Test
    void theBrokerHoldsNoMoreThanItsMaximumOfConnections() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config()
                .withPeerLimits(PeerLimits.DEFAULTS.withMaxConnections(4)));
        TestClient normal = track(TestClient.open(broker));
        for (int i = 0; i < 3; i++) {
            track(TestClient.connectFrom(broker, "127.0.0." + (2 + i)));
        }
        BrokerFixture.eventually("four connections held", () -> broker.connectionCount() == 4);
        ErrorFrame error = closedWith(track(TestClient.connectFrom(broker, "127.0.0.9")), TestClient.WAIT);
        assertThat(error.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(error.message()).contains("maximum of 4 connections");

        int session = normal.openSession(false);
        normal.sendMessage(session, text(Q, "still served"));
        assertThat(broker.queueDepth("q")).isEqualTo(1);
    }

    @Test
    void largeFramesOfLoggedInPeersShareOneBudget() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config()
                .withPeerLimits(PeerLimits.DEFAULTS.withLargeFrameMemory(2 * 1024 * 1024)));
        TestClient slow = track(TestClient.open(broker));
        int slowSession = slow.openSession(false);
        TestClient other = track(TestClient.open(broker));
        int otherSession = other.openSession(false);
        long slowRequest = slow.nextRequestId();
        byte[] first = encoded(new Send(slowSession, slowRequest, Messages.withBody(Q, "big-1", 1_500_000)));
        slow.sendRaw(Arrays.copyOf(first, first.length / 2)); // half of 1.5 MB: the frame holds most of the budget

        long otherRequest = other.nextRequestId();
        byte[] second = encoded(new Send(otherSession, otherRequest, Messages.withBody(Q, "big-2", 1_500_000)));
        // the broker stops reading this connection, so the write blocks once the socket buffers are full
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                other.sendRaw(second);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(other.awaitClosed(Duration.ofMillis(300))).isFalse();
        assertThat(other.stash()).as("the second large frame waits for budget").noneMatch(Ok.class::isInstance);
        assertNormalClientWorks(); // small frames need no budget

        slow.sendRaw(Arrays.copyOfRange(first, first.length / 2, first.length));
        assertThat(slow.answer(slowRequest)).isInstanceOf(Ok.class);
        written.get(10, TimeUnit.SECONDS);
        assertThat(other.answer(otherRequest)).as("served once the first frame freed the budget")
                .isInstanceOf(Ok.class);
        assertThat(broker.queueDepth("q")).isEqualTo(3);
    }

    private static byte[] encoded(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /** Sends one byte every {@code periodMillis}. @return true if all were sent, false once the broker closed */
    private static boolean trickle(TestClient client, int bytes, long periodMillis) throws InterruptedException {
        for (int i = 0; i < bytes; i++) {
            try {
                if (client.awaitClosed(Duration.ofMillis(periodMillis))) {
                    return false;
                }
                client.sendRaw(new byte[]{1});
            } catch (IOException e) {
                return false; // reset: the broker closed with our bytes unread
            }
        }
        return true;
    }

    /** Reads until the broker closes the connection and returns the error frame it sent first. */
    private static ErrorFrame closedWith(TestClient client, Duration timeout) throws IOException {
        try {
            assertThat(client.awaitClosed(timeout)).as("closed by the broker").isTrue();
        } catch (SocketException reset) {
            // the broker closed with bytes of ours unread; the error frame may still have been read before
        }
        for (Frame frame : client.stash()) {
            if (frame instanceof ErrorFrame error && error.channel() == Protocol.CONTROL_CHANNEL) {
                return error;
            }
        }
        throw new AssertionError("closed without an error frame; received " + client.stash());
    }

    private void assertNormalClientWorks() throws IOException {
        try (TestClient normal = TestClient.open(broker)) {
            int session = normal.openSession(false);
            normal.sendMessage(session, text(Q, "hello"));
        }
    }

    private TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }
}
