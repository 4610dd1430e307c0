package io.tunnelmq.server.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.server.store.SharedClientIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.net.HandlerChannels.MAX_FRAME;
import static io.tunnelmq.server.net.HandlerChannels.closedWith;
import static io.tunnelmq.server.net.HandlerChannels.hello;
import static io.tunnelmq.server.net.HandlerChannels.read;
import static io.tunnelmq.server.net.HandlerChannels.write;
import static org.assertj.core.api.Assertions.assertThat;

/** The connection handler on an in-memory channel: handshake, channel 0, and every way a connection ends. */
@Timeout(10)
class ConnectionHandlerTest {
    @RegisterExtension
    final HandlerFixture fixture = new HandlerFixture();

    private EmbeddedChannel channel() {
        return fixture.channel(Authenticator.ALLOW_ALL);
    }

    private EmbeddedChannel opened(int heartbeat) {
        EmbeddedChannel channel = channel();
        write(channel, hello(Protocol.VERSION, null, heartbeat, Map.of()));
        assertThat(read(channel)).isInstanceOf(Welcome.class);
        return channel;
    }

    @Test
    void aHelloIsWelcomedWithTheAgreedTerms() {
        EmbeddedChannel channel = channel();
        write(channel, hello(Protocol.VERSION, "app", 60_000, Map.of("lockDuration", 5_000L)));

        long before = System.currentTimeMillis();
        Welcome welcome = (Welcome) read(channel);

        assertThat(welcome).isEqualTo(new Welcome(Protocol.VERSION, "c-1", 30_000, HandlerChannels.BUFFER, MAX_FRAME,
                "9.9.9-TEST", welcome.brokerTimeMillis()));
        assertThat(welcome.brokerTimeMillis()).isBetween(before - 60_000, System.currentTimeMillis());
        write(channel, new OpenSession(1, 1, false, 1));
        assertThat(read(channel)).isEqualTo(new Ok(1, 1, HandlerChannels.BUFFER));
        // the agreed 30 s: a heartbeat within one interval; three to three and a half intervals of silence (the
        // watch ticks every half interval) end the connection
        channel.advanceTimeBy(30_000, TimeUnit.MILLISECONDS);
        assertThat(read(channel)).isEqualTo(Heartbeat.INSTANCE);
        channel.advanceTimeBy(59_999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(15_001, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aClientsHeartbeatIsAnsweredAtOnceOnceATick() {
        EmbeddedChannel channel = opened(30_000);
        write(channel, Heartbeat.INSTANCE);
        write(channel, Heartbeat.INSTANCE);
        assertThat(read(channel)).isEqualTo(Heartbeat.INSTANCE);
        assertThat((Object) channel.readOutbound()).as("one answer a tick").isNull();
    }

    @Test
    void heartbeatsOffOnEitherSideTurnIdleDetectionOff() {
        EmbeddedChannel channel = opened(0);
        write(channel, Heartbeat.INSTANCE);
        channel.advanceTimeBy(1, TimeUnit.HOURS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat((Object) channel.readOutbound()).as("no heartbeat").isNull();
    }

    @Test
    void anotherProtocolVersionIsRefused() {
        EmbeddedChannel channel = channel();
        write(channel, hello(7, null, 0, Map.of()));
        assertThat(closedWith(channel, ErrorCode.UNSUPPORTED_VERSION).message())
                .isEqualTo("client speaks protocol version 7, broker speaks 1");
    }

    @Test
    void aFrameBeforeHelloIsAViolation() {
        EmbeddedChannel channel = channel();
        write(channel, new OpenSession(1, 1, false, 1));
        assertThat(closedWith(channel, ErrorCode.PROTOCOL_VIOLATION).message()).contains("first frame must be Hello");
    }

    @Test
    void aSecondHelloIsAViolation() {
        EmbeddedChannel channel = opened(0);
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(closedWith(channel, ErrorCode.PROTOCOL_VIOLATION).message()).contains("second Hello");
    }

    @Test
    void aMalformedFrameIsAnsweredAndTheConnectionClosed() {
        EmbeddedChannel channel = opened(0);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 2, 1, 1}));
        assertThat(closedWith(channel, ErrorCode.MALFORMED_FRAME).message()).contains("below the");
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsRead() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.buffer().writeInt(MAX_FRAME).writeByte(1).writeInt(0));
        closedWith(channel, ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void anUnknownFrameTypeIsRefused() {
        EmbeddedChannel channel = opened(0);
        channel.writeInbound(Unpooled.buffer().writeInt(5).writeByte(250).writeInt(0));
        closedWith(channel, ErrorCode.UNKNOWN_FRAME_TYPE);
    }

    @Test
    void aHelloWithoutTheMagicIsAStranger() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.buffer().writeInt(9).writeByte(1).writeInt(0).writeInt(0x12345678));
        assertThat(closedWith(channel, ErrorCode.PROTOCOL_VIOLATION).message()).contains("TMQ1 magic");
    }

    @Test
    void aBadLockDurationOptionIsRefused() {
        EmbeddedChannel channel = channel();
        write(channel, hello(Protocol.VERSION, null, 0, Map.of("lockDuration", "soon")));
        assertThat(closedWith(channel, ErrorCode.PROTOCOL_VIOLATION).message()).contains("lockDuration");
    }

    @Test
    void aBlankClientIdIsRefused() {
        EmbeddedChannel channel = channel();
        write(channel, hello(Protocol.VERSION, " ", 0, Map.of()));
        closedWith(channel, ErrorCode.INVALID_CLIENT_ID);
    }

    @Test
    void theClientIdIsFreedWhenTheConnectionEnds() {
        EmbeddedChannel first = channel();
        write(first, hello(Protocol.VERSION, "app", 0, Map.of()));
        read(first);
        assertThat(fixture.live.clientIds().claim(new SharedClientIds.Claim("app", "other", null, null, null)))
                .isCompletedWithValue(false);

        first.close();

        assertThat(fixture.live.clientIds().claim(new SharedClientIds.Claim("app", "other", null, null, null)))
                .isCompletedWithValue(true);
    }

    @Test
    void anIdleWriterSendsAHeartbeatAndASilentPeerIsDropped() {
        EmbeddedChannel channel = opened(100);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(read(channel)).isEqualTo(Heartbeat.INSTANCE);

        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(closedWith(channel, ErrorCode.CONNECTION_FAILED).message()).contains("300 ms");
    }

    @Test
    void noHelloInTimeEndsTheConnection() {
        EmbeddedChannel channel = channel();
        channel.pipeline().fireUserEventTriggered(HandshakeDeadline.OVERDUE);
        assertThat(closedWith(channel, ErrorCode.PROTOCOL_VIOLATION).message()).contains("no Hello");
    }

    @Test
    void aBrokerOnlyFrameFromTheClientIsAViolation() {
        EmbeddedChannel channel = opened(0);
        write(channel, new WindowUpdate(5));
        assertThat(closedWith(channel, ErrorCode.PROTOCOL_VIOLATION).message()).contains("broker to client only");
    }

    @Test
    void disconnectIsAnsweredAndClosesTheConnection() {
        EmbeddedChannel channel = opened(0);
        write(channel, new Disconnect(42));
        assertThat(read(channel)).isEqualTo(new Ok(0, 42, HandlerChannels.BUFFER));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void shutdownTellsTheClient() {
        EmbeddedChannel channel = opened(0);
        channel.pipeline().fireUserEventTriggered(ConnectionHandler.SHUTDOWN);
        closedWith(channel, ErrorCode.SHUTTING_DOWN);
    }

    @Test
    void onlyOneErrorIsSentWhenAConnectionEnds() {
        EmbeddedChannel channel = opened(0);
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        closedWith(channel, ErrorCode.PROTOCOL_VIOLATION);
        channel.runPendingTasks();
        Frame next = channel.readOutbound();
        assertThat(next).isNull();
    }
}
