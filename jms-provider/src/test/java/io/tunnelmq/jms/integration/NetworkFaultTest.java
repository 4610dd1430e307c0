package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.faults.Direction;
import io.tunnelmq.jms.faults.FaultProxy;
import io.tunnelmq.protocol.Protocol;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.integration.BrokerClients.described;
import static io.tunnelmq.jms.integration.BrokerClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, detection: a client that reaches the broker through a {@link FaultProxy}, with default settings
 * (heartbeat 3 s, dead after 3 silent intervals), and competitors connected directly. A stalled network is noticed
 * within 10 s on both sides, the stalled consumer's buffered messages go to a competitor flagged (the stalled
 * application may have taken them before it noticed, unheard) and are not handed to the stalled application from two
 * intervals on; a short stall costs nothing; a reset is noticed at once.
 */
@Timeout(60)
class NetworkFaultTest {
    private static final long INTERVAL = Protocol.DEFAULT_HEARTBEAT_MILLIS;
    private static final String QUEUE = "faults.queue";
    private static final List<String> BODIES = List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");

    private BrokerClients clients;
    private FaultProxy proxy;
    private Connection proxied;
    private final CompletableFuture<JMSException> alarm = new CompletableFuture<>();

    @BeforeEach
    void start() throws JMSException {
        clients = BrokerClients.start();
        proxy = FaultProxy.start(clients.broker.host(), clients.broker.port());
        // reconnect=false: these tests are about detecting the loss, which then fails the connection at once
        proxied = new TunnelConnectionFactory(proxy.url() + "?reconnect=false").createConnection();
        proxied.setExceptionListener(alarm::complete);
        proxied.start();
    }

    @AfterEach
    void stop() {
        try {
            proxied.close();
        } catch (JMSException | RuntimeException e) {
            // the test broke it
        }
        proxy.close();
        clients.close();
    }

    /** A consumer on the proxied connection whose buffer holds every message unseen, the last one read just now. */
    private MessageConsumer stalledConsumerWithAFullBuffer() throws Exception {
        Session session = proxied.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
        clients.send(QUEUE, BODIES.toArray(String[]::new));
        eventually("every message is delivered to the proxied consumer", Duration.ofSeconds(5),
                () -> clients.stats(QUEUE).locked() == BODIES.size());
        // a round trip on the same connection: its answer is read after the deliveries, so they are in the buffer
        proxied.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
        return consumer;
    }

    @Test
    void aStalledNetworkReachesTheExceptionListenerAndTheBrokerWithinTenSeconds() throws Exception {
        proxied.createSession(false, Session.AUTO_ACKNOWLEDGE);
        eventually("the broker has the proxied connection", Duration.ofSeconds(5),
                () -> clients.broker.connectionCount() == 1);
        long stalled = System.nanoTime();

        proxy.stall();

        JMSException e = alarm.get(15, TimeUnit.SECONDS);
        long noticed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled);
        assertThat(noticed).as("the client noticed the stall after %d ms", noticed).isLessThan(15_000);
        assertThat(e.getMessage()).contains("no heartbeat from the broker");
        eventually("the broker dropped the stalled connection", Duration.ofSeconds(10),
                () -> clients.broker.connectionCount() == 0);
    }

    @Test
    void aStalledConsumersBufferedMessagesGoToACompetitorFlaggedAndNotToTheStalledApplication()
            throws Exception {
        MessageConsumer stalledConsumer = stalledConsumerWithAFullBuffer();
        long stalled = System.nanoTime();
        proxy.stall();
        Session competing = clients.connect("").createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer competitor = competing.createConsumer(competing.createQueue(QUEUE));
        List<String> competitorGot = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> competitorDone = CompletableFuture.runAsync(() -> {
            try {
                while (competitorGot.size() < BODIES.size()) {
                    Message m = competitor.receive(15_000);
                    if (m == null) {
                        return;
                    }
                    competitorGot.add(described(m));
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });

        // the last read was just before the stall, so from two intervals on the client must hold its buffer; it may
        // not be declared dead before three. Waiting out a span of the clock is the point here, not a hope.
        Thread.sleep(2 * INTERVAL + 200);
        List<String> handedOut = new ArrayList<>();
        while (!competitorDone.isDone() && !alarm.isDone()) {
            try {
                Message m = stalledConsumer.receive(100);
                if (m != null) {
                    handedOut.add(text(m));
                }
            } catch (JMSException e) {
                break; // the client declared the connection dead: its buffer is gone
            }
        }

        competitorDone.get(15, TimeUnit.SECONDS);
        long released = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled);
        assertThat(handedOut).as("buffered messages handed out after two silent intervals").isEmpty();
        assertThat(competitorGot).as("flagged: the broker never heard which of them the application took")
                .containsExactlyElementsOf(BODIES.stream().map(b -> b + "/2/true").toList());
        assertThat(released).as("the competitor had them %d ms after the stall", released).isLessThan(15_000);
        alarm.get(15, TimeUnit.SECONDS);
    }

    @Test
    void aStallShorterThanTwoIntervalsLosesNothingAndRaisesNoAlarm() throws Exception {
        Session session = proxied.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
        clients.send(QUEUE, "m0", "m1", "m2", "m3", "m4");
        List<String> received = new ArrayList<>();
        while (received.size() < 2) {
            received.add(described(consumer.receive(5_000)));
        }

        proxy.stall();
        clients.send(QUEUE, "m5", "m6", "m7", "m8", "m9");
        CompletableFuture<Void> resumed = CompletableFuture.runAsync(proxy::resume,
                CompletableFuture.delayedExecutor(2 * INTERVAL - 1_500, TimeUnit.MILLISECONDS));
        while (received.size() < BODIES.size()) {
            Message m = consumer.receive(10_000);
            assertThat(m).as("message %d after the stall", received.size()).isNotNull();
            received.add(described(m));
        }
        resumed.get(5, TimeUnit.SECONDS);

        assertThat(received).containsExactlyElementsOf(BODIES.stream().map(b -> b + "/1/false").toList());
        assertThat(consumer.receive(200)).as("nothing twice").isNull();
        assertThat(alarm).as("the ExceptionListener was not called").isNotDone();
        assertThat(clients.broker.connectionCount()).as("the broker kept the connection").isEqualTo(1);
    }

    @Test
    void aQuietBrokerHoldsTheBufferUntilItIsHeardAgain() throws Exception {
        MessageConsumer consumer = stalledConsumerWithAFullBuffer();
        // only the broker's side goes quiet: the broker keeps hearing the client's heartbeats and keeps its locks
        proxy.stall(Direction.TO_CLIENT);
        Thread.sleep(2 * INTERVAL + 200); // past two intervals of silence, well before three

        assertThat(consumer.receiveNoWait()).as("no hand-out while the broker is quiet").isNull();
        CompletableFuture<Message> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive(10_000);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).as("a receive keeps waiting while the broker is quiet")
                .failsWithin(Duration.ofMillis(200));
        proxy.resume();

        List<String> received = new ArrayList<>();
        received.add(described(waiting.get(5, TimeUnit.SECONDS)));
        while (received.size() < BODIES.size()) {
            received.add(described(consumer.receive(5_000)));
        }
        assertThat(received).containsExactlyElementsOf(BODIES.stream().map(b -> b + "/1/false").toList());
        assertThat(alarm).isNotDone();
        assertThat(clients.broker.connectionCount()).isEqualTo(1);
    }

    @Test
    void aQuietBrokerPausesListenersUntilItIsHeardAgain() throws Exception {
        Session session = proxied.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        consumer.setMessageListener(m -> {
            try {
                heard.add(described(m));
                if (heard.size() == 1) {
                    firstHeld.countDown();
                    releaseFirst.await(); // the rest fills the buffer meanwhile
                }
            } catch (JMSException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        clients.send(QUEUE, BODIES.toArray(String[]::new));
        assertThat(firstHeld.await(5, TimeUnit.SECONDS)).isTrue();
        eventually("every message is delivered to the proxied consumer", Duration.ofSeconds(5),
                () -> clients.stats(QUEUE).locked() == BODIES.size());
        proxied.createSession(false, Session.AUTO_ACKNOWLEDGE).close(); // the deliveries are read: see above
        proxy.stall(Direction.TO_CLIENT);
        Thread.sleep(2 * INTERVAL + 200); // past two intervals of silence, well before three

        releaseFirst.countDown();
        Thread.sleep(300); // the listener is free: it would have had the next message within this time
        assertThat(heard).as("onMessage calls while the broker is quiet").hasSize(1);
        proxy.resume();

        eventually("the listener has every message", Duration.ofSeconds(5), () -> heard.size() == BODIES.size());
        assertThat(heard).containsExactlyElementsOf(BODIES.stream().map(b -> b + "/1/false").toList());
        assertThat(alarm).isNotDone();
    }

    @Test
    void aBrokerWhoseGoodbyeCannotLeaveClosesTheSocketAnyway() throws Exception {
        Connection greedy = new TunnelConnectionFactory(proxy.url() + "?reconnect=false&prefetchBytes=0").createConnection();
        Session session = greedy.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createQueue(QUEUE));
        greedy.start();
        eventually("the broker has both proxied connections", Duration.ofSeconds(5),
                () -> clients.broker.connectionCount() == 2);
        proxy.stall();
        // deliveries that the socket buffers cannot hold: the broker's error frame would queue behind them for ever
        try (Connection direct = clients.factory("").createConnection()) {
            Session producing = direct.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = producing.createProducer(producing.createQueue(QUEUE));
            for (int i = 0; i < 30; i++) {
                BytesMessage m = producing.createBytesMessage();
                m.writeBytes(new byte[256 * 1024]);
                producer.send(m);
            }
        }

        eventually("the broker closed both stalled sockets", Duration.ofSeconds(25),
                () -> clients.broker.connectionCount() == 0);
        greedy.close();
    }

    @Test
    void aResetIsNoticedAtOnceOnBothSides() throws Exception {
        stalledConsumerWithAFullBuffer();
        Session competing = clients.connect("").createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer competitor = competing.createConsumer(competing.createQueue(QUEUE));
        long reset = System.nanoTime();

        proxy.reset();

        alarm.get(5, TimeUnit.SECONDS);
        List<String> competitorGot = new ArrayList<>();
        while (competitorGot.size() < BODIES.size()) {
            Message m = competitor.receive(5_000);
            assertThat(m).as("message %d for the competitor", competitorGot.size()).isNotNull();
            competitorGot.add(described(m));
        }
        long noticed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reset);
        assertThat(noticed).as("both sides noticed and the messages moved within %d ms", noticed).isLessThan(2_000);
        // in any order: waiting, the competitor may have been given half of the buffer by revocation before the reset
        assertThat(competitorGot).containsExactlyInAnyOrderElementsOf(
                BODIES.stream().map(b -> b + "/1/false").toList());
    }
}
