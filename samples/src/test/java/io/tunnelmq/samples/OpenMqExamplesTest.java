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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "JMS Sample Programs" shipped with OpenMQ ({@code org.glassfish.mq:mq-distribution}, folder
 * {@code mq/examples/jms}), run unchanged: their precompiled classes, each in a JVM of its own with
 * {@code -DUSE_JNDI=true}, so that {@code SampleUtilities} looks up {@code cn=<name>} in JNDI. The names come from
 * {@code openmq/jndi.properties} (test resources) and the broker URL from {@code -Djava.naming.provider.url}. Each
 * case gets a fresh broker and checks the program's exit status and the lines it must print. Two examples of
 * {@code mq/examples/jms20} send ObjectMessages of their own classes: they create OpenMQ's factory class directly,
 * which a stand-in turns into a JNDI lookup of a factory whose {@code serializablePackages} trusts those classes.
 */
@Timeout(240) // some cases run two programs, each may take up to ThirdPartyRuns.TIMEOUT
class OpenMqExamplesTest {
    private static final Pattern SELECTOR = Pattern.compile(
            "SUBSCRIBER (\\d) THREAD: selector is \"NewsType = '([^']+)' OR NewsType = 'Finished'\"");
    private static final Pattern PUBLISHED = Pattern.compile("PUBLISHER THREAD: Setting message text to: (Item \\d+: (.+))");

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
    @MethodSource("programs")
    void runsUnchanged(Scenario scenario) throws Exception {
        scenario.play(this);
    }

    static Stream<Named<Scenario>> programs() {
        return Stream.of(
                program("SenderToQueue", t -> {
                    ProgramRun run = t.runOk("SenderToQueue", "SQ", "3");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence("Queue name is SQ",
                            "Sending message: Here is a message 1", "Sending message: Here is a message 2",
                            "Sending message: Here is a message 3");
                    // three text messages and the end-of-messages marker wait for a receiver
                    t.runs.awaitQueueDepth("SQ", 4, run);
                }),
                program("SynchQueueExample", t -> {
                    t.runOk("SenderToQueue", "SQ", "3");
                    ProgramRun run = t.runOk("SynchQueueExample", "SQ");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "Reading message: Here is a message 1", "Reading message: Here is a message 2",
                            "Reading message: Here is a message 3");
                    t.runs.awaitQueueDepth("SQ", 0, run);
                }),
                program("AsynchQueueExample", t -> {
                    t.runOk("SenderToQueue", "SQ", "3");
                    ProgramRun run = t.runOk("AsynchQueueExample", "SQ");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "Reading message: Here is a message 1", "Reading message: Here is a message 2",
                            "Reading message: Here is a message 3");
                    t.runs.awaitQueueDepth("SQ", 0, run);
                }),
                program("SynchTopicExample", t -> {
                    ProgramRun run = t.runOk("SynchTopicExample", "ST");
                    assertThat(run.lines()).as(run.transcript()).contains("Topic name is ST",
                            "PRODUCER THREAD: Publishing message: Here is a message 1",
                            "CONSUMER THREAD: Reading message: Here is a message 1");
                }),
                program("AsynchTopicExample", t -> {
                    ProgramRun run = t.runOk("AsynchTopicExample", "ST");
                    assertThat(linesStartingWith(run, "CONSUMER THREAD: Reading message:")).as(run.transcript())
                            .containsExactlyElementsOf(IntStream.rangeClosed(1, 20)
                                    .mapToObj(i -> "CONSUMER THREAD: Reading message: Here is a message " + i)
                                    .toList());
                }),
                program("MessageFormats", t -> {
                    ProgramRun run = t.runOk("MessageFormats");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "Reading BytesMessage 7 bytes long:", "  -128  127  -1  0  1  -64  64",
                            "Reading TextMessage:", " This is a text message.",
                            "Reading MapMessage in a different order from the way it was generated:",
                            " Type: Map", " Double: 1.23456789", " Integer: 3456",
                            "Reading StreamMessage in the order in which it was generated:",
                            " String: Stream message", " Double: 1.23456789E224", " Integer: 223344",
                            "Reading ObjectMessage:", " A String is an object.");
                }),
                program("MessageConversion", t -> {
                    ProgramRun run = t.runOk("MessageConversion");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "Reading StreamMessage items of various data types as String:",
                            " Boolean: false", " Double: 1.23456789E224", " Int: 223344", " Char: q",
                            "Reading StreamMessage String items as other data types:",
                            " Boolean: true", " Double: 1.23456789E113", " Int: 556677",
                            "Reading BytesMessages of various types:",
                            " Boolean: false", " Double: 1.23456789E24", " Int: 778899", " Float: Infinity",
                            " Char: z");
                }),
                program("ObjectMessages", t -> {
                    ProgramRun run = t.runOk("ObjectMessages");
                    assertThat(run.lines()).as(run.transcript()).contains(
                            "ObjectMessage contains:  A String is an object.",
                            "BytesMessage contains:  3 5 7 9 11");
                }),
                program("BytesMessages", t -> {
                    Path file = examples().resolve("sample.dtd");
                    ProgramRun run = t.runOk("BytesMessages", file.toString());
                    long size = Files.size(file);
                    assertThat(byteCounts(run, "Writing (\\d+) bytes into message")).as(run.transcript())
                            .isEqualTo(size);
                    assertThat(byteCounts(run, "Reading (\\d+) bytes from message: ")).as(run.transcript())
                            .isEqualTo(size);
                }),
                program("MessageHeadersTopic", t -> {
                    ProgramRun run = t.runOk("MessageHeadersTopic", "ST");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "CONSUMER THREAD: Message received: Read My Headers",
                            "CONSUMER THREAD: Message received: Read My Headers Again",
                            "CONSUMER THREAD: Message received: Read My Headers with MessageID and Timestamp disabled");
                    // the second message is sent with NON_PERSISTENT, priority 3; the third with no message ID
                    assertThat(run.lines()).as(run.transcript()).contains(
                            "CONSUMER THREAD:  JMSDeliveryMode: non-persistent", "CONSUMER THREAD:  JMSPriority: 3",
                            "CONSUMER THREAD:  JMSType: Less Simple", "CONSUMER THREAD:  JMSType: Disable Test",
                            "CONSUMER THREAD:  JMSMessageID: null",
                            "CONSUMER THREAD:  Client property messageNumber: 3");
                }),
                program("TopicSelectors", t -> {
                    ProgramRun run = t.runOk("TopicSelectors", "ST");
                    assertEachSubscriberGotExactlyItsNews(run);
                }),
                program("DurableSubscriberExample", t -> {
                    ProgramRun run = t.runOk("DurableSubscriberExample", "ST");
                    // messages 4 to 6 are published while the durable subscriber is closed
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence("Starting subscriber",
                            "SUBSCRIBER: Reading message: Here is a message 3", "Closing subscriber",
                            "PUBLISHER: Publishing message: Here is a message 4",
                            "PUBLISHER: Publishing message: Here is a message 6", "Starting subscriber",
                            "SUBSCRIBER: Reading message: Here is a message 4",
                            "SUBSCRIBER: Reading message: Here is a message 5",
                            "SUBSCRIBER: Reading message: Here is a message 6", "Closing subscriber");
                }),
                program("AckEquivExample", t -> {
                    ProgramRun run = t.runOk("AckEquivExample", "AckQueue", "ST");
                    assertThat(run.lines()).as(run.transcript()).contains(
                            "CONSUMER: Processing message: Here is a client-acknowledge message",
                            "CONSUMER: Now I'll acknowledge the message",
                            "CONSUMER: Processing message: Here is an auto-acknowledge message 1",
                            "CONSUMER: Processing message: Here is an auto-acknowledge message 2",
                            "CONSUMER: Processing message: Here is an auto-acknowledge message 3");
                    t.runs.awaitQueueDepth("AckQueue", 0, run);
                }),
                program("TransactedExample", t -> {
                    ProgramRun run = t.run("TransactedExample", "3");
                    TransactedExampleVerdict.assertPassed(run, 3);
                }),
                program("RequestReplyQueue", t -> {
                    ProgramRun run = t.runOk("RequestReplyQueue", "RequestQueue");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence(
                            "REQUEST: Sending message: Here is a request", "REPLY: Message received: Here is a request",
                            "REQUEST: Reply received: Here is a reply", "REQUEST: OK: Reply matches sent message");
                }),
                // jms20: ObjectMessages of classes outside the default allow-list, trusted by the factory's
                // serializablePackages in openmq/jndi.properties
                program("SyncQueueConsumer", t -> {
                    ProgramRun sent = t.runJms20Ok("syncqueue", "SendObjectMsgsToQueue", "SQ", "3");
                    assertThat(sent.lines()).as(sent.transcript()).containsSubsequence("Message sent : 1",
                            "Message sent : 2", "Message sent : 3");
                    ProgramRun run = t.runJms20Ok("syncqueue", "SyncQueueConsumer", "SQ", "3");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence("Message Received : 1",
                            "Message Received : 2", "Message Received : 3");
                    t.runs.awaitQueueDepth("SQ", 0, run);
                }),
                program("MessageGetBodyExample", t -> {
                    ProgramRun run = t.runJms20Ok("messagegetbody", "MessageGetBodyExample");
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence("Object Message Received..",
                            "Bytes Message Received..", "Map Message Received..", "Plain message received..");
                    assertThat(run.lines()).as(run.transcript()).anyMatch(l -> l.matches(
                            "Get body as a MyObject from Object Message : \\d+")).anyMatch(l -> l.matches(
                            "Get body as a Object from Object Message : \\d+"));
                }),
                program("XMLMessageExample", t -> {
                    ProgramRun run = t.runOk("XMLMessageExample", "XMLQueue", "sample.xml",
                            examples().toUri().toString());
                    long size = Files.size(examples().resolve("sample.xml"));
                    assertThat(run.lines()).as(run.transcript()).containsSubsequence("Queue name is XMLQueue",
                            "Write " + size + " bytes into message", "Read " + size + " bytes from message",
                            "Root element of the doc is slideshow");
                }));
    }

    /** Runs one program and checks that it exited by itself with status 0 and reported no exception. */
    private ProgramRun runOk(String program, String... args) throws Exception {
        ProgramRun run = run(program, args);
        ThirdPartyRuns.assertSucceeded(run);
        return run;
    }

    private ProgramRun run(String program, String... args) throws Exception {
        List<Path> classpath = new ArrayList<>();
        classpath.add(ThirdPartyRuns.resourceDirectory("openmq")); // its jndi.properties
        classpath.add(examples());
        classpath.addAll(ProgramClasspath.client());
        return runs.run(program, classpath, List.of("-DUSE_JNDI=true"), program, List.of(args), examples());
    }

    /**
     * Runs one of the jms20 examples, which instantiate OpenMQ's {@code com.sun.messaging.ConnectionFactory}: a
     * stand-in for it (compiled from test resources openmq-client/) delegates to the factory openmq/jndi.properties
     * binds under that name.
     */
    private ProgramRun runJms20Ok(String folder, String program, String... args) throws Exception {
        Path standIn = scratch.resolve("openmq-client");
        if (!Files.isDirectory(standIn)) {
            Path sources = Path.of(OpenMqExamplesTest.class.getResource("/openmq-client").toURI());
            ExampleCompiler.compile(sources, standIn, List.of(ProgramClasspath.jmsApi()));
        }
        Path classes = examples().resolveSibling("jms20").resolve(folder);
        List<Path> classpath = new ArrayList<>();
        classpath.add(ThirdPartyRuns.resourceDirectory("openmq")); // its jndi.properties
        classpath.add(standIn);
        classpath.add(classes);
        classpath.addAll(ProgramClasspath.client());
        ProgramRun run = runs.run(program, classpath, List.of(), program, List.of(args), classes);
        ThirdPartyRuns.assertSucceeded(run);
        return run;
    }

    private static Path examples() {
        return ProgramClasspath.directory("openmq.examples");
    }

    private static List<String> linesStartingWith(ProgramRun run, String prefix) {
        return run.lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static long byteCounts(ProgramRun run, String regex) {
        Pattern p = Pattern.compile(regex);
        return run.lines().stream().map(p::matcher).filter(Matcher::matches)
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    /** Each subscriber's selector picks one news type: it must get every item of that type, in order, and no other. */
    private static void assertEachSubscriberGotExactlyItsNews(ProgramRun run) {
        List<String[]> published = run.lines().stream().map(PUBLISHED::matcher).filter(Matcher::matches)
                .map(m -> new String[] {m.group(1), m.group(2)}).toList();
        List<Matcher> selectors = run.lines().stream().map(SELECTOR::matcher).filter(Matcher::matches).toList();
        assertThat(selectors).as(run.transcript()).hasSize(3);
        assertThat(published).as(run.transcript()).isNotEmpty();
        for (Matcher selector : selectors) {
            String subscriber = "SUBSCRIBER " + selector.group(1) + " THREAD: ";
            List<String> expected = new ArrayList<>();
            published.stream().filter(item -> item[1].equals(selector.group(2)))
                    .forEach(item -> expected.add(subscriber + "Message received: " + item[0]));
            expected.add(subscriber + "Message received: That's all the news for today.");
            expected.add(subscriber + "Received finished-publishing message");
            assertThat(linesStartingWith(run, subscriber).stream()
                    .filter(l -> l.contains("Message received") || l.contains("finished-publishing")).toList())
                    .as("what %s received\n%s", subscriber, run.transcript()).containsExactlyElementsOf(expected);
        }
    }

    /** One program's case: runs it (and any program it needs first) and checks what it did. */
    @FunctionalInterface
    interface Scenario {
        void play(OpenMqExamplesTest test) throws Exception;
    }

    private static Named<Scenario> program(String name, Scenario scenario) {
        return Named.of(name, scenario);
    }
}
