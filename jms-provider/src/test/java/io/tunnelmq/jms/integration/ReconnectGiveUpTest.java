package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Issue 13: a broker killed and not restarted. With {@code reconnectTimeout=2000} the connection keeps trying for
 * 2 s and then gives up: the ExceptionListener is called once, saying so; meanwhile a receive with a timeout returns
 * null at its timeout and a send blocks; the blocked send fails with the give-up, and every later call throws
 * IllegalStateException.
 */
@Timeout(60)
class ReconnectGiveUpTest {
    private static final long RECONNECT_TIMEOUT = 2_000;
    private static final long RECEIVE_TIMEOUT = 500;

    @TempDir
    Path data;

    @Test
    void theConnectionGivesUpAfterTheReconnectTimeoutWithOneExceptionListenerCall() throws Exception {
        List<JMSException> heard = new CopyOnWriteArrayList<>();
        List<Long> heardAt = new CopyOnWriteArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(data, BrokerProcess.freePort(), List.of("-Xmx256m"),
                List.of());
             Connection connection = new TunnelConnectionFactory(broker.url() + "?reconnectTimeout="
                     + RECONNECT_TIMEOUT).createConnection()) {
            connection.setExceptionListener(e -> {
                heardAt.add(System.nanoTime());
                heard.add(e);
            });
            connection.start();
            Session receiving = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = receiving.createConsumer(receiving.createQueue("give-up"));
            Session sending = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = sending.createProducer(sending.createQueue("give-up"));
            producer.send(sending.createTextMessage("before the kill"));
            assertThat(BrokerClients.text(consumer.receive(5_000))).isEqualTo("before the kill");

            long killed = System.nanoTime(); // before the kill: the client may notice the loss before kill() returns
            broker.kill();
            CompletableFuture<Long> sendFailed = CompletableFuture.supplyAsync(() -> {
                try {
                    producer.send(sending.createTextMessage("during the outage"));
                    throw new AssertionError("a send during the outage returned although the broker never came back");
                } catch (JMSException e) {
                    return System.nanoTime();
                }
            });
            long receiving0 = System.nanoTime();
            Message during = consumer.receive(RECEIVE_TIMEOUT);
            long received = millisSince(receiving0);

            assertThat(during).as("a receive during the outage").isNull();
            assertThat(received).as("the receive(%d) during the outage returned after %d ms", RECEIVE_TIMEOUT,
                    received).isBetween(RECEIVE_TIMEOUT - 50, RECEIVE_TIMEOUT + 1_000);
            assertThat(heard).as("the ExceptionListener before the reconnect timeout ran out").isEmpty();

            eventually("the ExceptionListener is called", Duration.ofSeconds(10), () -> !heard.isEmpty());
            long gaveUp = TimeUnit.NANOSECONDS.toMillis(heardAt.get(0) - killed);
            assertThat(gaveUp).as("the ExceptionListener was called %d ms after the kill", gaveUp)
                    .isBetween(RECONNECT_TIMEOUT, 10_000L);
            assertThat(heard.get(0).getMessage()).as("the reason given").containsAnyOf("gave up", "giving up",
                    "given up");
            long sendFailedAfter = TimeUnit.NANOSECONDS.toMillis(sendFailed.get(10, TimeUnit.SECONDS) - killed);
            assertThat(sendFailedAfter).as("the blocked send failed %d ms after the kill", sendFailedAfter)
                    .isGreaterThanOrEqualTo(RECONNECT_TIMEOUT);

            List<String> later = List.of(
                    outcome(() -> producer.send(sending.createTextMessage("after the give-up"))),
                    outcome(() -> consumer.receive(100)),
                    outcome(() -> connection.createSession(false, Session.AUTO_ACKNOWLEDGE)));
            // exactly once: a second call would come from the same give-up, right after the first; waiting out a
            // span of the clock is the point here
            Thread.sleep(500);
            assertSoftly(softly -> {
                softly.assertThat(List.of(later.get(0), later.get(2))).as("send and createSession after the give-up")
                        .allMatch(o -> o.startsWith("threw " + IllegalStateException.class.getName()));
                // the consumer ended with its connection, as one whose broker closed it: a JMSException saying why
                softly.assertThat(later.get(1)).as("receive after the give-up").startsWith("threw jakarta.jms.")
                        .contains("gave up reconnecting");
                softly.assertThat(heard).as("ExceptionListener calls").hasSize(1);
            });
        }
    }

    @FunctionalInterface
    private interface JmsCall {
        void call() throws JMSException;
    }

    /** What a call did, on a thread of its own: "threw ...", "returned", or "blocked" when it hung for 5 s. */
    private static String outcome(JmsCall call) throws InterruptedException, ExecutionException {
        CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                call.call();
                return "returned";
            } catch (JMSException | RuntimeException e) {
                return "threw " + e;
            }
        });
        try {
            return outcome.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "blocked for 5 s";
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
