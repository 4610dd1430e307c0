package io.tunnelmq.samples;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.naming.Context;
import javax.naming.InitialContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our samples, run in this JVM against an embedded broker, with the names of the jndi.properties they ship with
 * and the broker's URL given as {@code java.naming.provider.url}, as {@code -Djava.naming.provider.url} would.
 */
@Timeout(60)
class SamplesTest {
    /** Every queue a sample uses, and the dead-letter queue the peek-lock sample fills. */
    private static final List<String> QUEUES = List.of("samples.orders", "samples.requests", "samples.tasks",
            "samples.payments", "samples.jobs", "samples.greetings", "DLQ.samples.jobs");

    @TempDir
    Path scratch;
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withDataDir(scratch.resolve("data")));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void everySampleHasATest() {
        assertThat(Samples.ALL.keySet()).containsExactlyInAnyOrder("queue", "topic", "durable", "request-reply",
                "client-ack", "transacted", "peek-lock", "context");
    }

    @Test
    void queueSendsAndReceivesInOrder() throws Exception {
        assertThat(run("queue", "4")).containsSubsequence("sent: order #1", "sent: order #4", "received: order #1",
                "received: order #2", "received: order #3", "received: order #4",
                "received 4 messages from samples.orders");
    }

    @Test
    void topicGivesEverySubscriberACopy() throws Exception {
        List<String> lines = run("topic");
        assertThat(lines).containsSubsequence("subscriber got: price 101", "subscriber got: price 102",
                "subscriber got: price 103");
        assertThat(lines).containsSubsequence("listener got: price 101", "listener got: price 102",
                "listener got: price 103");
        assertThat(lines).contains("both subscribers got all 3 messages");
    }

    @Test
    void durableSubscriberGetsWhatWasPublishedWhileAway() throws Exception {
        assertThat(run("durable")).containsSubsequence("subscribed as samples-durable/news-reader, then disconnected",
                "published while away: headline 1", "published while away: headline 2",
                "received after coming back: headline 1", "received after coming back: headline 2",
                "unsubscribed news-reader");
    }

    @Test
    void requestIsAnsweredOnTheTemporaryQueue() throws Exception {
        assertThat(run("request-reply")).contains("request sent: hello, tunnel", "service got request: hello, tunnel",
                "reply received: HELLO, TUNNEL (correlates with the request)");
    }

    @Test
    void clientAcknowledgeRecoversThenAcknowledges() throws Exception {
        assertThat(run("client-ack")).containsExactly(
                "received: task A (redelivered: false, delivery count 1)",
                "received: task B (redelivered: false, delivery count 1)",
                "recovered: the unacknowledged messages come again",
                "received: task A (redelivered: true, delivery count 2)",
                "received: task B (redelivered: true, delivery count 2)",
                "acknowledged", "the queue is empty");
    }

    @Test
    void transactedRollbackDropsTheSendAndRedeliversTheReceive() throws Exception {
        assertThat(run("transacted")).containsExactly(
                "sent payment 1, rolled back: it is never delivered", "sent payment 2, committed",
                "received: payment 2 (redelivered: false)", "rolled back the receive",
                "received: payment 2 (redelivered: true)", "committed the receive", "nothing else on the queue");
    }

    @Test
    void peekLockCompletesAbandonsAndDeadLetters() throws Exception {
        List<String> lines = run("peek-lock");
        assertThat(lines).anyMatch(l -> l.startsWith("got 'send mail', delivery 1,"))
                .anyMatch(l -> l.startsWith("got 'send mail', delivery 2,"))
                .contains("  completed 'resize image'", "  abandoned 'send mail': it will come again",
                        "  completed 'send mail'", "  dead-lettered 'parse garbage'",
                        "on DLQ.samples.jobs: 'parse garbage', reason: not a job we understand");
    }

    @Test
    void contextSendsAndReceivesBodies() throws Exception {
        assertThat(run("context")).containsExactly("sent a text and a map message", "received text: hello (language en)",
                "received map: text=bonjour, language=fr");
    }

    /** A sample leaves nothing behind, so it can run again and again against the same broker. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void runsTwiceAgainstTheSameBroker(String name) throws Exception {
        List<String> first = run(name);
        // the same lines; threads (listeners, the service) may interleave them differently
        assertThat(run(name)).containsExactlyInAnyOrderElementsOf(first);
    }

    @Test
    void badCountIsRefusedWithAReason() {
        assertThatThrownBy(() -> run("queue", "many")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the message count must be a whole number above 0, not 'many'");
        assertThatThrownBy(() -> run("topic", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not '0'");
    }

    static Set<String> names() {
        return Samples.ALL.keySet();
    }

    /** Runs a sample and checks that it closed every connection and left no message on the broker. */
    private List<String> run(String name, String... args) throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.PROVIDER_URL, broker.url()); // the rest comes from the samples' jndi.properties
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Context jndi = new InitialContext(env);
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Samples.ALL.get(name).run(jndi, List.of(args), out);
        } finally {
            jndi.close();
        }
        awaitNoConnections(name);
        for (String queue : QUEUES) {
            assertThat(broker.queueDepth(queue)).as("messages %s left on %s", name, queue).isZero();
        }
        return withoutLockTimes(bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** The peek-lock sample prints how long a lock has left, which varies between runs. */
    private static List<String> withoutLockTimes(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst(", locked for \\d+ s more$", ", locked")).toList();
    }

    private void awaitNoConnections(String name) throws InterruptedException {
        Eventually.eventually("every connection " + name + " opened is closed", Duration.ofSeconds(5),
                () -> broker.connectionCount() == 0);
    }
}
