package io.tunnelmq.jms.engine;

import io.netty.buffer.Unpooled;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Welcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.connect;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

@Timeout(30)
class EngineHandshakeTest {
    private FakeBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void handshakeOpensTheConnectionWithTheBrokersFigures() throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c-42", 0, 1000, 4096, "fake-9.9"));
        EngineConnection c = connect(broker.options("clientID=app-1&user=bob&password=secret&heartbeat=5000"),
                new RecordingEvents());

        assertThat(c.connectionId()).isEqualTo("c-42");
        assertThat(c.brokerVersion()).isEqualTo("fake-9.9");
        assertThat(c.protocolVersion()).isEqualTo(Protocol.VERSION);
        assertThat(c.isClosed()).isFalse();
        Hello hello = broker.next(Hello.class);
        assertThat(hello.version()).isEqualTo(Protocol.VERSION);
        assertThat(hello.clientId()).isEqualTo("app-1");
        assertThat(hello.user()).isEqualTo("bob");
        assertThat(hello.password()).isEqualTo("secret");
        assertThat(hello.heartbeatMillis()).isEqualTo(5000);
        assertThat(hello.options()).as("no lock duration asked for, no connection resumed, reads peers, store id and"
                        + " whether access is checked, sends unanswered sends")
                .isEqualTo(Map.of(Hello.OPTION_PEERS, true, Hello.OPTION_STORE_ID, true, Hello.OPTION_ACCESS_CHECKED,
                        true, Hello.OPTION_UNANSWERED_SENDS, true));
        assertThat(c.peers()).as("the broker named none").isEmpty();
        assertThat(c.accessChecked()).as("the broker checks no permissions").isFalse();
        await(c.close());
    }

    @Test
    void helloCarriesTheRequestedLockDurationAsLong() throws Exception {
        EngineConnection c = connect(broker.options("lockDuration=45000"), new RecordingEvents());
        assertThat(broker.next(Hello.class).options()).containsEntry(Hello.OPTION_LOCK_DURATION, 45_000L);
        await(c.close());
    }

    @Test
    void helloNamesTheConnectionItReplacesAndPresentsTheResumeKey() throws Exception {
        EngineOptions first = broker.options("").withResumeKey("k3y-1");
        EngineOptions next = first.at(first.host(), first.port(), "lx1-7");
        EngineConnection c = connect(next, new RecordingEvents());
        assertThat(broker.next(Hello.class).options()).containsEntry(Hello.OPTION_RESUME, "lx1-7")
                .containsEntry(Hello.OPTION_RESUME_KEY, "k3y-1");
        assertThat(next.toString()).as("options are logged: the key is a secret").doesNotContain("k3y-1");
        await(c.close());
    }

    @Test
    void theConnectionKnowsThePeersTheBrokerNamed() throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c-1", 0, 1000, 4096, "fake", 0, List.of("b2:9494", "b3:9494")));
        EngineConnection c = connect(broker.options(""), new RecordingEvents());
        assertThat(c.peers()).containsExactly("b2:9494", "b3:9494");
        await(c.close());
    }

    @Test
    void refusedHandshakeFailsWithTheBrokersCodeAndMessage() throws Exception {
        broker.script(in -> in instanceof Hello
                ? List.of(new ErrorFrame(0, 0, ErrorCode.AUTHENTICATION_FAILED, "user 'bob' is unknown"))
                : List.of());
        RecordingEvents events = new RecordingEvents();

        EngineException e = failure(Engines.netty().connect(broker.options("user=bob"), events));

        assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(e.getMessage()).contains("user 'bob' is unknown").contains("127.0.0.1:" + broker.port());
        assertThat(broker.awaitClientGone()).as("the client closed the socket").isTrue();
        assertThat(events.failures).as("a failed connect is not a connection failure").isEmpty();
    }

    @Test
    void noBrokerListeningFailsWithConnectionFailedNamingHostAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free again once closed: nobody listens there
        }
        EngineOptions options = EngineTestSupport.options("tmq://127.0.0.1:" + port + "?connectTimeout=2000");
        long start = System.nanoTime();

        EngineException e = failure(Engines.netty().connect(options, new RecordingEvents()));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).startsWith("cannot connect to TunnelMQ broker at tmq://127.0.0.1:" + port + ": ");
        assertThat((System.nanoTime() - start) / 1_000_000).as("failed within the connect timeout").isLessThan(2000 + 1000);
    }

    @Test
    void unknownHostFailsWithConnectionFailed() throws Exception {
        EngineOptions options = EngineTestSupport.options("tmq://no-such-host.invalid:9494");
        EngineException e = failure(Engines.netty().connect(options, new RecordingEvents()));
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("tmq://no-such-host.invalid:9494").contains("unknown host");
    }

    @Test
    void welcomeThatNeverComesTimesOutWithinTheConnectTimeout() throws Exception {
        broker.script(in -> List.of());
        long start = System.nanoTime();

        EngineException e = failure(Engines.netty().connect(broker.options("connectTimeout=300"), new RecordingEvents()));

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.getMessage()).contains("127.0.0.1:" + broker.port()).contains("handshake").contains("300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 2500L);
        assertThat(broker.awaitClientGone()).as("the client gave up the socket").isTrue();
    }

    @Test
    void brokerClosingDuringTheHandshakeFailsTheConnect() throws Exception {
        broker.dropAfterFrames(1);
        EngineException e = failure(Engines.netty().connect(broker.options(""), new RecordingEvents()));
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("closed the connection during the handshake");
    }

    @Test
    void anotherFrameInsteadOfWelcomeIsAProtocolViolation() throws Exception {
        broker.script(in -> List.of(new Ok(0, 1, 10)));
        EngineException e = failure(Engines.netty().connect(broker.options(""), new RecordingEvents()));
        assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
        assertThat(e.getMessage()).contains("OK instead of WELCOME");
    }

    @Test
    void welcomeWithAnotherProtocolVersionIsRefused() throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION + 1, "c", 0, 1000, 4096, "future"));
        EngineException e = failure(Engines.netty().connect(broker.options(""), new RecordingEvents()));
        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(e.getMessage()).contains("version " + (Protocol.VERSION + 1));
    }

    @Test
    void malformedAnswerToHelloFailsTheConnect() throws Exception {
        broker.script(in -> {
            broker.sendRaw(Unpooled.buffer().writeInt(5).writeByte(250).writeInt(0));
            return List.of();
        });
        EngineException e = failure(Engines.netty().connect(broker.options(""), new RecordingEvents()));
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("malformed").contains("unknown frame type 250");
    }

    @Test
    void engineThreadsAreDaemonThreads() throws Exception {
        EngineConnection c = connect(broker.options(""), new RecordingEvents());
        List<Thread> io = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tunnelmq-io-")).toList();
        assertThat(io).as("engine threads").isNotEmpty().allMatch(Thread::isDaemon);
        await(c.close());
    }

    @Test
    void connectRejectsMissingArguments() {
        assertThatNullPointerException().isThrownBy(() -> Engines.netty().connect(null, new RecordingEvents()));
        assertThatNullPointerException().isThrownBy(() -> Engines.netty().connect(broker.options(""), null));
    }
}
