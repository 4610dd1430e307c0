package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input and lost peers: a clear error where it belongs, and nobody else notices. */
@Timeout(60)
class ConnectionFailureTest {
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void absentBrokerIsReportedWithHostAndPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TunnelConnectionFactory factory = new TunnelConnectionFactory("tmq://127.0.0.1:" + port + "?connectTimeout=3000");
        long start = System.nanoTime();
        assertThatThrownBy(factory::createConnection)
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
    }

    @Test
    void peerThatIsNotABrokerGivesAClearError() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().read(new byte[1024]);
                } catch (Exception ignored) {
                    // the client hangs up
                }
            });
            TunnelConnectionFactory factory = new TunnelConnectionFactory(
                    "tmq://127.0.0.1:" + server.getLocalPort() + "?connectTimeout=3000");
            assertThatThrownBy(factory::createConnection)
                    .isInstanceOf(JMSException.class)
                    .hasMessageContaining("127.0.0.1:" + server.getLocalPort());
        }
    }

    @Test
    void droppedConnectionReachesTheExceptionListener() throws Exception {
        // without reconnecting: the loss itself is the failure (a reconnecting one tells its ExceptionListener
        // only when it gives up)
        Connection connection = new TunnelConnectionFactory(broker.url() + "?reconnect=false").createConnection();
        CompletableFuture<JMSException> reported = new CompletableFuture<>();
        connection.setExceptionListener(reported::complete);
        connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        broker.dropConnections();
        JMSException e = reported.get(20, TimeUnit.SECONDS);
        assertThat(e.getMessage()).isNotBlank();
        assertThatThrownBy(() -> connection.createSession(false, Session.AUTO_ACKNOWLEDGE))
                .isInstanceOf(JMSException.class);
        connection.close();
    }

    @Test
    void malformedFrameFromOneClientLeavesOthersUntouched() throws Exception {
        TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
        try (Connection healthy = factory.createConnection()) {
            Session session = healthy.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("failure.healthy");
            MessageConsumer consumer = session.createConsumer(queue);
            healthy.start();

            try (Socket rogue = new Socket("127.0.0.1", broker.port())) {
                rogue.setSoTimeout(10_000);
                ByteBuf hello = Unpooled.buffer();
                FrameEncoder.encode(new Hello(Protocol.VERSION, null, null, null, 0, Map.of()), hello,
                        Protocol.DEFAULT_MAX_FRAME_SIZE);
                // then a frame of an unknown type
                hello.writeInt(5).writeByte(250).writeInt(0);
                OutputStream out = rogue.getOutputStream();
                out.write(ByteBufs.toArray(hello));
                out.flush();
                ErrorFrame error = readUntilError(rogue.getInputStream());
                assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
                assertThat(rogue.getInputStream().read()).as("broker closed the rogue connection").isEqualTo(-1);
            }

            session.createProducer(queue).send(session.createTextMessage("still fine"));
            assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("still fine");
        }
    }

    @Test
    void wrongProtocolVersionIsRefusedWithItsOwnCode() throws Exception {
        try (Socket rogue = new Socket("127.0.0.1", broker.port())) {
            rogue.setSoTimeout(10_000);
            ByteBuf hello = Unpooled.buffer();
            FrameEncoder.encode(new Hello(Protocol.VERSION + 41, null, null, null, 0, Map.of()), hello,
                    Protocol.DEFAULT_MAX_FRAME_SIZE);
            rogue.getOutputStream().write(ByteBufs.toArray(hello));
            ErrorFrame error = readUntilError(rogue.getInputStream());
            assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(error.message()).contains(String.valueOf(Protocol.VERSION + 41));
        }
    }

    private static ErrorFrame readUntilError(InputStream in) throws Exception {
        ByteBuf buf = Unpooled.buffer();
        byte[] chunk = new byte[4096];
        while (true) {
            Frame f;
            while ((f = FrameDecoder.decode(buf, Protocol.DEFAULT_MAX_FRAME_SIZE)) != null) {
                if (f instanceof ErrorFrame e) {
                    return e;
                }
            }
            int n = in.read(chunk);
            if (n < 0) {
                throw new AssertionError("connection closed without an error frame");
            }
            buf.writeBytes(chunk, 0, n);
        }
    }

    private static final class ByteBufs {
        static byte[] toArray(ByteBuf buf) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        }
    }
}
