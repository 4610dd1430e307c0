package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.store.SharedClientIds;
import io.tunnelmq.server.session.BrokerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.net.HandlerChannels.MAX_FRAME;
import static io.tunnelmq.server.net.HandlerChannels.read;
import static io.tunnelmq.server.net.HandlerChannels.write;
import static org.assertj.core.api.Assertions.assertThat;

/** The connection handler on an in-memory channel: handshake, channel 0, and every way a connection ends. */
@Timeout(10)
class ConnectionHandlerTest {
    private static final long BUFFER = 1024 * 1024;

    private final NetSettings settings = HandlerChannels.settings("9.9.9-TEST");
    private final LiveConnections live = new LiveConnections();
    private WheelTimer timer;
    private BrokerContext broker;

    @BeforeEach
    void setUp() {
        timer = new WheelTimer();
        MemoryTracker memory = new MemoryTracker(1L << 30);
        broker = new BrokerContext(new DestinationRegistry(timer, memory, q -> new QueueSettings(60_000, 10)),
                memory, BUFFER, MAX_FRAME);
    }

    @AfterEach
    void tearDown() {
        timer.close();
    }

    private EmbeddedChannel channel(Authenticator authenticator) {
        return HandlerChannels.channel(settings, broker, authenticator, live);
    }

    private EmbeddedChannel channel() {
        return channel(Authenticator.ALLOW_ALL);
    }

    private static Hello hello(int version, String clientId, int heartbeat, Map<String, Object> options) {
        return new Hello(version, clientId, "user", "secret", heartbeat, options);
    }



    private static ErrorFrame closedWith(EmbeddedChannel channel, ErrorCode code) {
        Frame frame = read(channel);
        assertThat(frame).isInstanceOf(ErrorFrame.class);
        ErrorFrame error = (ErrorFrame) frame;
        assertThat(error.channel()).isZero();
        assertThat(error.requestId()).isZero();
        assertThat(error.code()).isEqualTo(code);
        assertThat(channel.isOpen()).as("connection closed after the error").isFalse();
        return error;
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

        assertThat(welcome).isEqualTo(new Welcome(Protocol.VERSION, "c-1", 30_000, BUFFER, MAX_FRAME, "9.9.9-TEST",
                welcome.brokerTimeMillis()));
        assertThat(welcome.brokerTimeMillis()).isBetween(before - 60_000, System.currentTimeMillis());
        write(channel, new OpenSession(1, 1, false, 1));
        assertThat(read(channel)).isEqualTo(new Ok(1, 1, BUFFER));
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
    void credentialsAreCheckedOffTheEventLoopAndFullSizedFramesComeOnlyAfterLogin() {
        java.util.Queue<Runnable> loginThread = new java.util.ArrayDeque<>();
        FrameDecoder decoder = new FrameDecoder(ConnectionHandler.PRE_LOGIN_MAX_FRAME_SIZE);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast(WireWatch.NAME, new WireWatch())
                .addLast(decoder)
                .addLast(new ConnectionHandler("c-1", settings, broker, new Logins((user, password) -> true,
                        loginThread::add, new io.tunnelmq.server.security.LoginBackoff(0, 0), new LogThrottle()),
                        live, null, BrokerLoops.NONE));
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("no answer while the check runs").isNull();
        assertThat(channel.config().isAutoRead()).as("reads paused meanwhile").isFalse();

        loginThread.remove().run(); // the login thread's verdict goes back to the event loop
        assertThat(read(channel)).isInstanceOf(Welcome.class);
        assertThat(channel.config().isAutoRead()).isTrue();
        // the decoder now takes the broker's max frame size: a frame above the pre-login limit is no violation
        ByteBuf big = Unpooled.buffer();
        big.writeInt(ConnectionHandler.PRE_LOGIN_MAX_FRAME_SIZE * 2).writeByte(0);
        channel.writeInbound(big);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aClientsHeartbeatIsAnsweredAtOnceOnceATick() {
        EmbeddedChannel channel = opened(30_000);
        write(channel, Heartbeat.INSTANCE);
        write(channel, Heartbeat.INSTANCE);
        assertThat(read(channel)).isEqualTo(Heartbeat.INSTANCE);
        assertThat((Object) channel.readOutbound()).as("one answer a tick").isNull();
    }

    /** An in-memory channel that counts how often its reads were paused. */
    private static final class PauseCountingChannel extends EmbeddedChannel {
        int pauses;
        private io.netty.channel.ChannelConfig counting;

        @Override
        public io.netty.channel.ChannelConfig config() {
            if (counting == null) { // the super constructor asks already
                counting = new io.netty.channel.DefaultChannelConfig(this) {
                    @Override
                    public io.netty.channel.ChannelConfig setAutoRead(boolean autoRead) {
                        if (!autoRead) {
                            pauses++;
                        }
                        return super.setAutoRead(autoRead);
                    }
                };
            }
            return counting;
        }
    }

    @Test
    void aLoginDecidedAtOnceNeverPausesTheConnectionsReads() {
        PauseCountingChannel channel = HandlerChannels.withHandler(new PauseCountingChannel(), settings, broker,
                Logins.inline(Authenticator.ALLOW_ALL), live);
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(read(channel)).isInstanceOf(Welcome.class);
        // a wave of logins that each paused and resumed reading shaped the JIT's code of the read path for the
        // connections after it (README, twenty-third measurement)
        assertThat(channel.pauses).isZero();
        assertThat(channel.config().isAutoRead()).isTrue();

        PauseCountingChannel refused = HandlerChannels.withHandler(new PauseCountingChannel(), settings, broker,
                Logins.inline((user, password) -> false), live);
        write(refused, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(refused.config().isAutoRead()).as("nothing more read from a client refused at once").isFalse();
    }

    @Test
    void aLoginTheUsersFileRemembersIsAnsweredOnTheEventLoopWithoutPausingReads() {
        java.util.Queue<Runnable> loginThread = new java.util.ArrayDeque<>();
        Logins logins = new Logins(new io.tunnelmq.server.security.PasswordFile(Map.of("alice", "pw"), false),
                loginThread::add, new io.tunnelmq.server.security.LoginBackoff(0, 0), new LogThrottle());
        PauseCountingChannel first = HandlerChannels.withHandler(new PauseCountingChannel(), settings, broker, logins,
                live);
        write(first, new Hello(Protocol.VERSION, null, "alice", "pw", 0, Map.of()));
        assertThat(first.pauses).as("the first login is checked on a login thread").isOne();
        loginThread.remove().run();
        assertThat(read(first)).isInstanceOf(Welcome.class);

        PauseCountingChannel again = HandlerChannels.withHandler(new PauseCountingChannel(), settings, broker, logins,
                live);
        write(again, new Hello(Protocol.VERSION, null, "alice", "pw", 0, Map.of()));
        assertThat(read(again)).isInstanceOf(Welcome.class);
        assertThat(again.pauses).isZero();
        assertThat(loginThread).as("no trip to the login threads").isEmpty();

        PauseCountingChannel wrong = HandlerChannels.withHandler(new PauseCountingChannel(), settings, broker, logins,
                live);
        write(wrong, new Hello(Protocol.VERSION, null, "alice", "guess", 0, Map.of()));
        assertThat(loginThread).as("another password is checked").hasSize(1);
    }

    @Test
    void credentialsThatCannotBeCheckedAreAnsweredWithAnInternalError() {
        // an authenticator that throws, or login threads that refuse work (a broker shutting down), fail the verdict
        // at once: it must come back as an answer, not as an exception out of the read
        EmbeddedChannel channel = channel((user, password) -> {
            throw new IllegalStateException("directory down");
        });
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(closedWith(channel, ErrorCode.INTERNAL_ERROR).message())
                .startsWith("the broker could not check the credentials").contains("directory down");
    }

    @Test
    void aCheckWhoseTurnComesAfterTheLoginDeadlineIsNotMadeAndAClientStillWaitingIsToldWhy() {
        java.util.Queue<Runnable> loginThread = new java.util.ArrayDeque<>();
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger hashed = new java.util.concurrent.atomic.AtomicInteger();
        Logins logins = new Logins((user, password) -> hashed.incrementAndGet() > 0, loginThread::add,
                new io.tunnelmq.server.security.LoginBackoff(0, 0), new LogThrottle(), clock::get);

        clock.set(System.currentTimeMillis()); // the connection is accepted now: its login is due a timeout later
        EmbeddedChannel inTime = HandlerChannels.withHandler(new EmbeddedChannel(), settings, broker, logins, live);
        write(inTime, hello(Protocol.VERSION, null, 0, Map.of()));
        loginThread.remove().run();
        assertThat(read(inTime)).isInstanceOf(Welcome.class);

        EmbeddedChannel late = HandlerChannels.withHandler(new EmbeddedChannel(), settings, broker, logins, live);
        write(late, hello(Protocol.VERSION, null, 0, Map.of()));
        // the login threads were busy until past the deadline: the client has given up by then, or is about to
        clock.set(System.currentTimeMillis() + settings.handshakeTimeoutMillis());
        loginThread.remove().run();
        assertThat(closedWith(late, ErrorCode.RESOURCE_EXHAUSTED).message())
                .contains("too many logins at once").contains(settings.handshakeTimeoutMillis() + " ms");
        assertThat(hashed).as("checked in time only").hasValue(1);
        assertThat(broker.counters().loginsOverdue()).as("tunnelmq_logins_overdue_total").isOne();
        assertThat(broker.counters().authFailures()).isZero();
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
    void refusedCredentialsEndTheConnection() {
        EmbeddedChannel channel = channel((user, password) -> false);
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(closedWith(channel, ErrorCode.AUTHENTICATION_FAILED).message()).contains("user 'user'");
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
        assertThat(live.clientIds().claim(new SharedClientIds.Claim("app", "other", null, null, null)))
                .isCompletedWithValue(false);

        first.close();

        assertThat(live.clientIds().claim(new SharedClientIds.Claim("app", "other", null, null, null)))
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
        assertThat(read(channel)).isEqualTo(new Ok(0, 42, BUFFER));
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
