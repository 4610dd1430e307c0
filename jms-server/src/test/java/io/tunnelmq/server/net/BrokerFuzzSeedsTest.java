package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed corpus of {@link BrokerConnectionFuzzTest}: handshakes (accepted, refused, malformed) for
 * {@code beforeLogin}, and scripts a client runs once logged in (queues, topics, durable subscriptions, transactions,
 * browsing, temporary destinations, settling) for {@code afterLogin}. Fails when a seed is missing;
 * {@code -Dtunnelmq.writeSeeds=true} writes them. Inputs the fuzzer found lie next to them and are left alone.
 */
@Timeout(30)
class BrokerFuzzSeedsTest {
    private static final Path INPUTS = Path.of("src/test/resources/io/tunnelmq/server/net/BrokerConnectionFuzzTestInputs");
    private static final WireDestination ORDERS = WireDestination.queue("orders");
    private static final WireDestination NEWS = WireDestination.topic("news");

    @Test
    void everyHandshakeIsASeed() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-hello", stream(hello(BrokerConnectionFuzzTest.PASSWORD)));
        seeds.put("seed-hello-wrong-password", stream(hello("guess")));
        seeds.put("seed-hello-then-session", stream(hello(BrokerConnectionFuzzTest.PASSWORD),
                new OpenSession(1, 1, false, 1)));
        seeds.put("seed-hello-options", stream(new Hello(Protocol.VERSION, "app", BrokerConnectionFuzzTest.USER,
                BrokerConnectionFuzzTest.PASSWORD, 3_000, Map.of(Hello.OPTION_LOCK_DURATION, 5_000L,
                Hello.OPTION_RESUME, "c-1", Hello.OPTION_RESUME_KEY, "k", Hello.OPTION_PEERS, true,
                Hello.OPTION_STORE_ID, true))));
        seeds.put("seed-session-before-hello", stream(new OpenSession(1, 1, false, 1)));
        seeds.put("seed-not-tunnelmq", "GET / HTTP/1.1\r\nHost: broker\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        check(INPUTS.resolve("beforeLogin"), seeds);
    }

    @Test
    void everyScriptIsASeed() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-queue", stream(new OpenSession(1, 1, false, 1),
                new CreateConsumer(1, 2, 1, ORDERS, "color = 'red' AND size > 3", false, null, false, false, 10),
                new Send(1, 3, message(ORDERS)), new Settle(1, 4, SettleOutcome.COMPLETE, new long[] {1}, null),
                new Credit(1, 1, 5), new Send(1, 5, message(ORDERS)),
                new Settle(1, 6, SettleOutcome.ABANDON, new long[] {2, 3}, null), new CloseConsumer(1, 7, 1),
                new CloseSession(1, 8)));
        seeds.put("seed-transacted", stream(new OpenSession(2, 1, true, 0), new Send(2, 2, message(ORDERS)),
                new CreateConsumer(2, 3, 1, ORDERS, null, false, null, false, false, 1), new Commit(2, 4),
                new Settle(2, 5, SettleOutcome.COMPLETE, new long[] {1}, null), new Rollback(2, 6),
                new Settle(2, 7, SettleOutcome.DEAD_LETTER, new long[] {1}, "poison"), new Commit(2, 8)));
        seeds.put("seed-topic", stream(new OpenSession(1, 1, false, 2),
                new CreateConsumer(1, 2, 1, NEWS, "JMSPriority > 4 OR kind LIKE 'a%_'", true, "sub", true, false, 3),
                new Send(1, 3, message(NEWS)), new CloseConsumer(1, 4, 1), new Unsubscribe(1, 5, "sub")));
        seeds.put("seed-browse", stream(new OpenSession(1, 1, false, 1), new Send(1, 2, message(ORDERS)),
                new Browse(1, 3, ORDERS, "size BETWEEN 1 AND 9", 0, 10, 0), new Browse(1, 4, ORDERS, null, 1, 1, 0)));
        WireDestination temporary = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.c-1.1");
        seeds.put("seed-temporary", stream(new CreateTemporary(1, temporary), new OpenSession(1, 2, false, 1),
                new Send(1, 3, message(temporary)), new DeleteTemporary(4, temporary)));
        seeds.put("seed-control", stream(Heartbeat.INSTANCE, new WindowUpdate(4096), new Disconnect(1)));
        check(INPUTS.resolve("afterLogin"), seeds);
    }

    private static Hello hello(String password) {
        return new Hello(Protocol.VERSION, null, BrokerConnectionFuzzTest.USER, password, 0, Map.of());
    }

    private static WireMessage message(WireDestination to) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("color", "red");
        properties.put("size", 5);
        properties.put("kind", "abc");
        return new WireMessage(to, "ID:1", 1L, "corr", null, "type", true, 5, 0, 0, properties, BodyType.TEXT,
                "hello".getBytes(StandardCharsets.UTF_8));
    }

    /** A cut seed byte (0: varied reads), then the frames. */
    private static byte[] stream(Frame... frames) {
        ByteBuf buf = Unpooled.buffer().writeByte(0);
        for (Frame frame : List.of(frames)) {
            FrameEncoder.encode(frame, buf, Integer.MAX_VALUE);
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    static void check(Path dir, Map<String, byte[]> seeds) throws IOException {
        if (Boolean.getBoolean("tunnelmq.writeSeeds")) {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Files.write(dir.resolve(seed.getKey()), seed.getValue());
            }
        }
        for (String name : seeds.keySet()) {
            assertThat(dir.resolve(name)).as("seed %s (-Dtunnelmq.writeSeeds=true writes it)", name).isNotEmptyFile();
        }
    }
}
