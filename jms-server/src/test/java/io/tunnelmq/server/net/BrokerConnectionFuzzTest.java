package io.tunnelmq.server.net;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.session.BrokerContext;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the broker's side of a connection with whatever a peer can send: the pipeline {@link ConnectionInitializer}
 * builds (handshake deadline, idle handler, the decoder with its pre-login limit, the encoder, the
 * {@link ConnectionHandler}) on an in-memory channel, with a real broker behind it (queues, topics, sessions,
 * transactions, selectors). {@link #beforeLogin} feeds the bytes to a fresh connection; {@link #afterLogin} to a
 * connection that logged in. The first input byte seeds how the bytes are cut into reads.
 *
 * <p>Allowed: any answer, an error frame, the connection closed. Findings: an exception that escapes the pipeline, an
 * {@code INTERNAL_ERROR} (the broker failed on its own code), bytes out that are not frames, a buffer left
 * unreleased, a hang (Jazzer's per-input timeout), and a broker that no longer welcomes the next connection. Seeds:
 * {@code BrokerConnectionFuzzTestInputs} (see {@link BrokerFuzzSeedsTest}).
 */
class BrokerConnectionFuzzTest {
    static final String USER = "alice";
    static final String PASSWORD = "s3cret";
    private static final int MAX_FRAME = 1 << 20;
    private static final NetSettings SETTINGS = new NetSettings("127.0.0.1", 0, MAX_FRAME, 30_000, 10_000, "fuzz");
    private static WheelTimer timer;

    @BeforeAll
    static void start() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        timer = new WheelTimer();
    }

    @AfterAll
    static void stop() {
        timer.close();
    }

    @FuzzTest
    @Timeout(10)
    void beforeLogin(byte[] input) {
        Broker broker = new Broker();
        Connection connection = broker.connect();
        connection.feed(input);
        connection.close();
        broker.assertStillWelcomes();
    }

    @FuzzTest
    @Timeout(10)
    void afterLogin(byte[] input) {
        Broker broker = new Broker();
        Connection connection = broker.connect();
        connection.write(new Hello(Protocol.VERSION, null, USER, PASSWORD, 0, Map.of()));
        assertThat(connection.answers()).singleElement().isInstanceOf(Welcome.class);
        connection.feed(input);
        connection.close();
        broker.assertStillWelcomes();
    }

    /** A broker of its own per input: what one input leaves in queues must not steer the next. */
    private static final class Broker {
        private final BrokerContext context;
        private final LiveConnections live = new LiveConnections();
        private int connections;

        Broker() {
            MemoryTracker memory = new MemoryTracker(64L << 20);
            context = new BrokerContext(new DestinationRegistry(timer, memory, q -> new QueueSettings(60_000, 3)),
                    memory, 1 << 20, MAX_FRAME);
        }

        Connection connect() {
            return new Connection(this, "c-" + ++connections);
        }

        void assertStillWelcomes() {
            Connection next = connect();
            next.write(new Hello(Protocol.VERSION, "next", USER, PASSWORD, 0, Map.of()));
            assertThat(next.answers()).as("the next connection is welcomed").singleElement()
                    .isInstanceOf(Welcome.class);
            next.write(new OpenSession(1, 1, false, 1));
            assertThat(next.answers()).as("and opens a session").singleElement().isInstanceOf(Ok.class);
            next.close();
        }
    }

    /** The production pipeline on an in-memory channel. */
    private static final class Connection {
        private final EmbeddedChannel channel = new EmbeddedChannel();
        private final List<ByteBuf> given = new ArrayList<>();

        Connection(Broker broker, String id) {
            Authenticator users = (user, password) -> USER.equals(user) && PASSWORD.equals(password);
            channel.pipeline()
                    .addLast(HandshakeDeadline.NAME, new HandshakeDeadline(SETTINGS.handshakeTimeoutMillis()))
                    .addLast(WireWatch.NAME, new WireWatch())
                    .addLast("decoder", new FrameDecoder(ConnectionHandler.PRE_LOGIN_MAX_FRAME_SIZE))
                    .addLast("encoder", new FrameEncoder(MAX_FRAME))
                    .addLast("connection", new ConnectionHandler(id, SETTINGS, broker.context, Logins.inline(users), broker.live, null, BrokerLoops.NONE));
        }

        void write(Frame frame) {
            ByteBuf buf = Unpooled.buffer();
            FrameEncoder.encode(frame, buf, MAX_FRAME);
            given.add(buf);
            channel.writeInbound(buf);
        }

        /** The bytes after the first, cut into reads as the first byte says. */
        void feed(byte[] input) {
            if (input.length == 0) {
                return;
            }
            Random cuts = new Random(input[0]);
            for (int at = 1; at < input.length && channel.isOpen(); ) {
                int piece = Math.min(input.length - at, cuts.nextInt(3) == 0 ? 1 + cuts.nextInt(8) : 1 + cuts.nextInt(512));
                ByteBuf chunk = Unpooled.buffer(piece).writeBytes(input, at, piece);
                given.add(chunk);
                at += piece;
                channel.writeInbound(chunk); // throws if anything reached the end of the pipeline
                answers();
            }
        }

        /** Every frame the broker wrote since the last call; none may say the broker failed. */
        List<Frame> answers() {
            channel.runPendingTasks();
            List<Frame> frames = new ArrayList<>();
            for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
                try {
                    for (Frame frame = FrameDecoder.decode(out, Integer.MAX_VALUE); frame != null;
                         frame = FrameDecoder.decode(out, Integer.MAX_VALUE)) {
                        frames.add(frame);
                    }
                    assertThat(out.isReadable()).as("the broker writes whole frames").isFalse();
                } finally {
                    out.release();
                }
            }
            for (Frame frame : frames) {
                if (frame instanceof ErrorFrame error) {
                    assertThat(error.code()).as("%s", error).isNotEqualTo(ErrorCode.INTERNAL_ERROR);
                }
            }
            return frames;
        }

        void close() {
            channel.close();
            answers();
            channel.finishAndReleaseAll();
            for (ByteBuf buf : given) {
                assertThat(buf.refCnt()).as("a buffer the broker got was released").isZero();
            }
        }
    }
}
