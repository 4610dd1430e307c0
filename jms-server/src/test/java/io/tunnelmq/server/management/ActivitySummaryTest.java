package io.tunnelmq.server.management;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** The once-a-minute INFO line: what is open and held now, and what happened since the last line. */
@Timeout(30)
class ActivitySummaryTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");
    private final EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void theProblemsAreSaidEveryMinuteWhileTheyLast() {
        ActivitySummary summary = new ActivitySummary(broker.management(), System::currentTimeMillis);
        assertThat(summary.problemsLine()).isNull();
        AtomicReference<String> users = new AtomicReference<>("users.properties line 2: no password hash");
        broker.management().problems().watch(users::get, "the broker keeps the users it had");
        broker.management().problems().watch(() -> "permissions.properties line 9: unknown permission 'sned'",
                "the broker keeps the permissions it had");
        assertThat(summary.problemsLine()).isEqualTo("to fix (the broker runs on meanwhile): 1) users.properties line"
                + " 2: no password hash; the broker keeps the users it had; 2) permissions.properties line 9: unknown"
                + " permission 'sned'; the broker keeps the permissions it had");
        users.set(null);
        assertThat(summary.problemsLine()).startsWith("to fix (the broker runs on meanwhile): 1) permissions");
    }

    @Test
    void aLineSaysWhatHappenedSinceTheLastOne() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000);
        ActivitySummary summary = new ActivitySummary(broker.management(), clock::get);
        TestClient producer = TestClient.open(broker);
        int out = producer.openSession(false);
        for (int i = 0; i < 20; i++) {
            producer.sendMessage(out, text(ORDERS, "m" + i));
        }
        TestClient consumer = TestClient.open(broker);
        int in = consumer.openSession(false);
        consumer.createConsumer(in, 1, ORDERS, 2);
        Deliver first = consumer.awaitDelivery(in, 1);
        consumer.awaitDelivery(in, 1); // the second stays locked
        consumer.settle(in, SettleOutcome.COMPLETE, first.lockToken());
        clock.addAndGet(10_000);

        assertThat(summary.line()).startsWith("last 10 s: 2 connection(s) open (2 opened, 0 disconnected, 0 lost),"
                        + " 2 session(s); 1 queue(s) and subscription(s) holding 19 message(s) (1 locked, 0 scheduled);"
                        + " 2 msg/s in, 0 msg/s completed; memory ")
                .endsWith("; 0 send-window stall(s), 0 authentication failure(s), 0 access denial(s)");

        long request = producer.nextRequestId();
        producer.request(new Disconnect(request), request);
        consumer.abort();
        eventually("both connections end, their sessions closed and counted", Duration.ofSeconds(10),
                () -> broker.management().connections() == 0 && broker.management().sessions() == 0
                        && broker.management().counters().connectionsLost() == 1
                        && broker.management().counters().connectionsDisconnected() == 1
                        && broker.management().queueFigures("orders").orElseThrow().stats().locked() == 0);
        broker.management().counters().loginOverdue(); // as the network layer counts one
        clock.addAndGet(60_000);
        assertThat(summary.line()).startsWith("last 60 s: 0 connection(s) open (0 opened, 1 disconnected, 1 lost),"
                + " 0 session(s); 1 queue(s) and subscription(s) holding 19 message(s) (0 locked, 0 scheduled);"
                + " 0 msg/s in, 0 msg/s completed")
                .endsWith("0 access denial(s), 1 login(s) not checked in time");
    }

    @Test
    void sizesAreReadable() {
        assertThat(ActivitySummary.bytes(512)).isEqualTo("0 KiB");
        assertThat(ActivitySummary.bytes(5L << 20)).isEqualTo("5 MiB");
        assertThat(ActivitySummary.bytes(3L << 29)).isEqualTo("1.5 GiB");
    }
}
