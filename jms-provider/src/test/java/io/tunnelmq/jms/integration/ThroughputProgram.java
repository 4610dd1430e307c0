package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.util.concurrent.CompletableFuture;

/**
 * Measures throughput of non-persistent 1 KiB messages, one producer and one consumer (each on its own
 * connection), default settings, against an in-JVM broker — or the broker at the URL given as first argument.
 * Run by hand (it is not a test):
 *
 * <pre>
 * mvn -o -q -pl jms-provider -am test-compile
 * java -cp "$(cat cp.txt)" io.tunnelmq.jms.integration.ThroughputProgram [tmq://host:port] [messages]
 * </pre>
 * where {@code cp.txt} comes from {@code mvn -o -q -pl jms-provider dependency:build-classpath
 * -Dmdep.outputFile=cp.txt} plus {@code jms-provider/target/classes:jms-provider/target/test-classes}.
 */
public final class ThroughputProgram {
    private static final int BODY = 1024;

    private ThroughputProgram() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedBroker embedded = args.length > 0 && args[0].startsWith("tmq:") ? null
                : EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        String url = embedded != null ? embedded.url() : args[0];
        int count = Integer.parseInt(args.length > 1 ? args[1] : "500000");
        try {
            TunnelConnectionFactory factory = new TunnelConnectionFactory(url);
            run(factory, "warm-up", Math.min(count, 100_000));
            for (int round = 1; round <= 3; round++) {
                run(factory, "round " + round, count);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static void run(TunnelConnectionFactory factory, String name, int count) throws Exception {
        try (Connection producing = factory.createConnection(); Connection consuming = factory.createConnection()) {
            Session consumerSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue("throughput"));
            consuming.start();
            long started = System.nanoTime();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> produce(producing, count));
            for (int i = 0; i < count; i++) {
                if (consumer.receive(30_000) == null) {
                    throw new IllegalStateException(name + ": message " + i + " did not arrive within 30 s");
                }
            }
            sent.join();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%s: %,d non-persistent 1 KiB messages in %.2f s = %,.0f msgs/s (%.1f MB/s)%n", name,
                    count, seconds, count / seconds, count * (double) BODY / seconds / 1e6);
        }
    }

    private static void produce(Connection connection, int count) {
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("throughput"));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            byte[] body = new byte[BODY];
            for (int i = 0; i < count; i++) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(body);
                producer.send(m);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing failed: " + e, e);
        }
    }
}
