package io.tunnelmq.samples;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ActiveMQ Artemis' JMS examples ({@code org.apache.activemq:apache-artemis:bin}, folders
 * {@code examples/features/standard/<name>/src/main/java}), run unchanged: the build unpacks their sources into
 * target/ and rewrites {@code javax.jms} to {@code jakarta.jms}; each case compiles one example against the
 * Jakarta Messaging API alone and runs it in a JVM of its own, against a fresh broker, with the example's own
 * resources on its class path and {@code artemis/jndi.properties} (test resources) before them: for each key, the
 * first jndi.properties that has it wins, so ours replaces the Artemis factory and URLs. An example reports a failure by throwing from {@code main}, so its
 * exit status counts, and so do the lines it must print.
 */
@Timeout(180)
class ArtemisExamplesTest {
    private static final String PACKAGE = "org.apache.activemq.artemis.jms.example.";

    @TempDir
    Path scratch;
    private EmbeddedBroker broker;
    private ThirdPartyRuns runs;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withDataDir(scratch.resolve("data")));
        runs = new ThirdPartyRuns(broker, scratch);
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runsUnchanged(Example example) throws Exception {
        Path folder = ProgramClasspath.directory("artemis.examples").resolve(example.folder());
        Path classes = scratch.resolve("classes");
        ExampleCompiler.compile(folder.resolve("src/main/java"), classes, List.of(ProgramClasspath.jmsApi()));

        List<Path> classpath = new ArrayList<>();
        classpath.add(ThirdPartyRuns.resourceDirectory("artemis")); // our jndi.properties, ahead of the example's
        classpath.add(classes);
        classpath.add(folder.resolve("src/main/resources"));
        classpath.addAll(ProgramClasspath.client());
        ProgramRun run = runs.run(example.folder(), classpath, List.of(), PACKAGE + example.mainClass(), List.of(),
                scratch);

        ThirdPartyRuns.assertSucceeded(run);
        example.check().accept(run);
    }

    static Stream<Named<Example>> examples() {
        return Stream.of(
                example("queue", "QueueExample", lines("Sent message: This is a text message",
                        "Received message: This is a text message")),
                example("topic", "TopicExample", lines("Sent message: This is a text message",
                        "Consumer 1 Received message: This is a text message",
                        "Consumer 2 Received message: This is a text message")),
                example("browser", "QueueBrowserExample", lines("Browsing: this is the 1st message",
                        "Browsing: this is the 2nd message", "Received message: this is the 1st message",
                        "Received message: this is the 2nd message")),
                example("temp-queue", "TemporaryQueueExample", run -> {
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "Sent message: This is a text message", "Received message: This is a text message");
                    // a temporary queue cannot be consumed from another connection (nor once its own has closed)
                    assertThat(run.lines()).as(run.transcript()).anyMatch(l -> l.startsWith(
                            "Exception got when trying to access a temp queue outside its scope: "
                                    + "jakarta.jms.InvalidDestinationException"));
                }),
                example("transactional", "TransactionalExample", lines(
                        "Sent message: This is a text message1", "Sent message: This is a text message2",
                        "Message received before send commit: null",
                        "Message received after send commit: This is a text message1",
                        "Message1 received after receive rollback: This is a text message1",
                        "Message2 received after receive rollback: This is a text message2",
                        "Message3 received after receive rollback: null",
                        "Message received after receive commit: null")),
                example("durable-subscription", "DurableSubscriptionExample", lines(
                        "Sent message: This is a text message 1", "Received message: This is a text message 1",
                        "Sent message: This is a text message 2", "Received message: This is a text message 2")),
                example("shared-consumer", "JMSSharedConsumerExample", run ->
                        // the two consumers share the subscription: each gets one of the two messages
                        assertThat(run.lines().stream().filter(l -> l.startsWith("body = ")).toList())
                                .as(run.transcript())
                                .containsExactlyInAnyOrder("body = this is a String!", "body = this is a second String!")),
                example("queue-selector", "QueueSelectorExample", run -> {
                    // competing consumers on a queue: a message goes to the consumer of its colour or to the one
                    // without selector, exactly once; blue matches only the one without selector
                    assertReceivedOnce(run, "Red", "red", "any");
                    assertReceivedOnce(run, "Green", "green", "any");
                    assertReceivedOnce(run, "Blue", "any");
                }),
                example("topic-selector1", "TopicSelectorExample1", run -> {
                    assertThat(received(run, "messageConsumer1 received ")).as(run.transcript())
                            .containsExactlyElementsOf(sentFor(1));
                    assertThat(received(run, "messageConsumer2 received ")).as(run.transcript())
                            .containsExactlyElementsOf(sentFor(2));
                    assertThat(received(run, "messageConsumer3 received ")).as(run.transcript())
                            .containsExactlyInAnyOrderElementsOf(Stream.concat(sentFor(1).stream(),
                                    sentFor(2).stream()).toList());
                }),
                example("topic-selector2", "TopicSelectorExample2", run ->
                        // every subscriber of a topic gets its own copy of what its selector selects
                        assertThat(run.lines().stream().filter(l -> l.startsWith("Receiver ")).toList())
                                .as(run.transcript()).containsExactlyInAnyOrder(
                                        "Receiver red receives message [Red] with color property: red",
                                        "Receiver green receives message [Green] with color property: green",
                                        "Receiver all receives message [Red] with color property: red",
                                        "Receiver all receives message [Green] with color property: green",
                                        "Receiver all receives message [Blue] with color property: blue")),
                example("request-reply", "RequestReplyExample", run -> {
                    // the server's lines and the requester's interleave as the threads run
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence("Request message sent.",
                            "Received reply: A reply message", "We found matched request: A request message");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "Received request message: A request message", "Reply sent");
                }),
                example("queue-requestor", "QueueRequestorExample", lines("Send request: Hello, World!",
                        "Received reply:!dlroW ,olleH")));
    }

    /** An example folder, its main class (in {@value #PACKAGE}) and what its output must show. */
    record Example(String folder, String mainClass, Consumer<ProgramRun> check) {
    }

    private static Named<Example> example(String folder, String mainClass, Consumer<ProgramRun> check) {
        return Named.of(folder, new Example(folder, mainClass, check));
    }

    /** These lines, in this order (other lines may come between them). */
    private static Consumer<ProgramRun> lines(String... expected) {
        return run -> assertThat(run.lines()).as(run.transcript()).containsSubsequence(expected);
    }

    private static void assertReceivedOnce(ProgramRun run, String text, String... receivers) {
        List<String> got = run.lines().stream().filter(l -> l.startsWith("Receiver ")
                && l.contains(" receives message [" + text + "]")).toList();
        assertThat(got).as("who received %s; %s", text, run.transcript()).hasSize(1);
        assertThat(Stream.of(receivers).map(r -> "Receiver " + r + " receives message [" + text + "]"))
                .as(run.transcript()).anyMatch(got.get(0)::startsWith);
    }

    private static List<String> received(ProgramRun run, String prefix) {
        return run.lines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    /** What TopicSelectorExample1 sends with someID = id, as its consumers print it. */
    private static List<String> sentFor(int id) {
        return IntStream.range(1, 10).mapToObj(i -> "This is a text message " + i + " sent for someID=" + id
                + " someID = " + id).toList();
    }
}
