package io.tunnelmq.jms.faults;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The proxy between a plain client socket and a plain server socket that the test holds both ends of. */
@Timeout(30)
class FaultProxyTest {
    /** How long a read waits to show that nothing came; a stalled proxy must hold bytes at least this long. */
    private static final int QUIET_MILLIS = 300;

    private ServerSocket server;
    private FaultProxy proxy;
    private Socket client;
    private Socket broker;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0);
        proxy = FaultProxy.start("127.0.0.1", server.getLocalPort());
        client = new Socket("127.0.0.1", proxy.port());
        server.setSoTimeout(5_000);
        broker = server.accept();
        client.setSoTimeout(5_000);
        broker.setSoTimeout(5_000);
        // the broker side may accept before the proxy has paired the two sockets: operations act on paired ones
        eventually("the proxy paired the connection", Duration.ofSeconds(5), () -> proxy.connectionCount() == 1);
    }

    @AfterEach
    void close() throws Exception {
        proxy.close();
        client.close();
        broker.close();
        server.close();
    }

    @Test
    void forwardsBothWaysAndCountsLiveConnections() throws Exception {
        send(client, "hello");
        assertThat(receive(broker, 5)).isEqualTo("hello");
        send(broker, "world");
        assertThat(receive(client, 5)).isEqualTo("world");
        eventually("one live connection", Duration.ofSeconds(5), () -> proxy.connectionCount() == 1);

        try (Socket second = new Socket("127.0.0.1", proxy.port()); Socket secondBroker = server.accept()) {
            eventually("two live connections", Duration.ofSeconds(5), () -> proxy.connectionCount() == 2);
        }
        eventually("the closed one is gone", Duration.ofSeconds(5), () -> proxy.connectionCount() == 1);
    }

    @Test
    void stallHoldsTheBytesWithoutClosingAndResumeDeliversThemInOrder() throws Exception {
        proxy.stall();
        send(client, "ab");
        send(broker, "cd");
        assertNothingArrives(broker);
        assertNothingArrives(client);
        assertThat(proxy.connectionCount()).as("a stall closes nothing").isEqualTo(1);
        send(client, "ef");

        proxy.resume();

        assertThat(receive(broker, 4)).isEqualTo("abef");
        assertThat(receive(client, 2)).isEqualTo("cd");
    }

    @Test
    void oneWayStallHoldsOnlyThatWay() throws Exception {
        proxy.stall(Direction.TO_BROKER);
        send(client, "up");
        send(broker, "down");
        assertThat(receive(client, 4)).isEqualTo("down");
        assertNothingArrives(broker);

        proxy.resume();

        assertThat(receive(broker, 2)).isEqualTo("up");
    }

    @Test
    void connectionsAcceptedWhileStalledAreStalledToo() throws Exception {
        proxy.stall();
        try (Socket late = new Socket("127.0.0.1", proxy.port()); Socket lateBroker = server.accept()) {
            late.setSoTimeout(5_000);
            lateBroker.setSoTimeout(5_000);
            send(late, "x");
            assertNothingArrives(lateBroker);
            proxy.resume();
            assertThat(receive(lateBroker, 1)).isEqualTo("x");
        }
    }

    @Test
    void cutClosesBothSidesInOrder() throws Exception {
        proxy.cut();
        assertThat(client.getInputStream().read()).as("end of stream at the client").isEqualTo(-1);
        assertThat(broker.getInputStream().read()).as("end of stream at the broker").isEqualTo(-1);
        eventually("no live connection", Duration.ofSeconds(5), () -> proxy.connectionCount() == 0);
    }

    @Test
    void resetResetsBothSides() throws Exception {
        proxy.reset();
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        assertThatThrownBy(() -> broker.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
    }

    @Test
    void delayHoldsEveryChunkForTheLatencyAndKeepsTheOrder() throws Exception {
        proxy.delay(Duration.ofMillis(400));
        long start = System.nanoTime();
        send(client, "1");
        send(client, "2");
        send(client, "3");
        assertThat(receive(broker, 3)).isEqualTo("123");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

        proxy.delay(Duration.ZERO);
        long again = System.nanoTime();
        send(broker, "4");
        assertThat(receive(client, 1)).isEqualTo("4");
        assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void aBrokerThatCloseIsSeenByTheClient() throws Exception {
        send(broker, "bye");
        broker.close();
        assertThat(receive(client, 3)).isEqualTo("bye");
        assertThat(client.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void closeStopsListeningAndClosesTheConnections() throws Exception {
        int port = proxy.port();
        proxy.close();
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String receive(Socket s, int length) throws IOException {
        byte[] bytes = s.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void assertNothingArrives(Socket s) throws IOException {
        int timeout = s.getSoTimeout();
        s.setSoTimeout(QUIET_MILLIS);
        InputStream in = s.getInputStream();
        try {
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        } finally {
            s.setSoTimeout(timeout);
        }
    }
}
