package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.faults.FaultProxy;
import io.tunnelmq.jms.integration.Traffic.Watch;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Issue 13: the network between the clients and an in-JVM broker fails (a {@link FaultProxy}) while a persistent
 * producer and a CLIENT_ACKNOWLEDGE consumer run, with default reconnect settings. A cut (closed or reset) costs
 * nothing: no loss, a copy handed out again is flagged JMSRedelivered, and an {@code acknowledge()} spanning the cut
 * throws naming the messages whose locks were lost, which come again flagged. A stall is noticed within 10 s and the
 * clients reconnect.
 */
@Timeout(60)
class NetworkCutFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkCutFailoverTest.class);
    private static final Duration PACE = Duration.ofMillis(2);
    private static final String QUEUE = "cut.queue";
    private static final int ACK_EVERY = 10;
    private static final int HELD = 3;

    private BrokerClients clients;
    private FaultProxy proxy;
    private Traffic traffic;
    private TrafficLedger ledger;
    private Watch producerWatch;
    private Watch consumerWatch;
    private Session consumerSession;

    @BeforeEach
    void start() throws JMSException {
        clients = BrokerClients.start();
        proxy = FaultProxy.start(clients.broker.host(), clients.broker.port());
        traffic = new Traffic();
        ledger = traffic.ledger(QUEUE);
        TunnelConnectionFactory factory = new TunnelConnectionFactory(proxy.url());
        Connection producing = factory.createConnection();
        producerWatch = traffic.watch(producing, "producer connection");
        Connection consuming = factory.createConnection();
        consumerWatch = traffic.watch(consuming, "consumer connection");
        consuming.start();
        consumerSession = consuming.createSession(false, Session.CLIENT_ACKNOWLEDGE);

        Session producerSession = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = producerSession.createProducer(producerSession.createQueue(QUEUE));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        traffic.produce("producer", ledger, PACE, n -> {
            Message m = producerSession.createTextMessage("m" + n);
            m.setIntProperty(Traffic.NUMBER, n);
            producer.send(m);
        });
    }

    @AfterEach
    void stop() throws Exception {
        proxy.resume(); // a test that failed during a stall: let the connections close at once
        traffic.close();
        proxy.close();
        clients.close();
    }

    /** How the connections are cut. */
    enum Cut {
        /** Both peers see an orderly close. */
        CLOSE,
        /** Both peers see "connection reset". */
        RESET
    }

    @ParameterizedTest
    @EnumSource(Cut.class)
    void aCutLosesNothingAndAnAcknowledgeSpanningItNamesTheMessagesThatComeAgainFlagged(Cut cut) throws Exception {
        MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue(QUEUE));
        List<Message> unacknowledged = new ArrayList<>();
        receive(consumer, unacknowledged, 100);
        acknowledge(unacknowledged);
        List<Message> held = new ArrayList<>();
        while (held.size() < HELD) {
            Message m = consumer.receive(5_000);
            assertThat(m).as("message %d to hold across the cut", held.size()).isNotNull();
            ledger.handedOut(m);
            held.add(m);
        }

        switch (cut) {
            case CLOSE -> proxy.cut();
            case RESET -> proxy.reset();
        }
        traffic.await("both connections are restored", Duration.ofSeconds(10),
                () -> producerWatch.restores() > 0 && consumerWatch.restores() > 0);

        JMSException spanning = catchJms(() -> held.get(HELD - 1).acknowledge());
        assertThat(spanning).as("acknowledge() of messages received before the cut").isNotNull();
        for (Message m : held) {
            assertThat(spanning.getMessage()).as("the acknowledge failure names every message whose lock was lost")
                    .contains(m.getJMSMessageID());
        }
        List<Integer> heldNumbers = new ArrayList<>();
        for (Message m : held) {
            heldNumbers.add(ledger.number(m));
        }
        int target = ledger.handedOutCount() + 100;
        while (ledger.handedOutCount() < target || !heldNumbers.stream().allMatch(ledger::wasHandedOutAgain)) {
            receive(consumer, unacknowledged, 1);
            if (unacknowledged.size() >= ACK_EVERY) {
                acknowledge(unacknowledged);
            }
        }
        drainAndCheck(consumer, unacknowledged);
    }

    @Test
    void aStallIsNoticedWithinTenSecondsAndTheClientsReconnect() throws Exception {
        MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue(QUEUE));
        List<Message> unacknowledged = new ArrayList<>();
        receive(consumer, unacknowledged, 100);
        acknowledge(unacknowledged);

        long stalled = System.nanoTime();
        proxy.stall();
        traffic.await("both connections noticed the stall", Duration.ofSeconds(15),
                () -> producerWatch.interruptions() > 0 && consumerWatch.interruptions() > 0);
        long noticed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled);
        LOG.info("a stall was noticed after {} ms", noticed);
        assertThat(noticed).as("the stall was noticed after %d ms", noticed).isLessThanOrEqualTo(10_000);
        proxy.resume(); // the stall is the proxy's state: a new connection through it would stall too
        traffic.await("both connections are restored", Duration.ofSeconds(15),
                () -> producerWatch.restores() > 0 && consumerWatch.restores() > 0);

        int target = ledger.handedOutCount() + 100;
        while (ledger.handedOutCount() < target) {
            receive(consumer, unacknowledged, 1);
            if (unacknowledged.size() >= ACK_EVERY) {
                acknowledge(unacknowledged);
            }
        }
        drainAndCheck(consumer, unacknowledged);
    }

    /**
     * Stops the producers, receives and acknowledges until every number sent has been handed out, then checks that
     * nothing reached the application and nothing was lost.
     */
    private void drainAndCheck(MessageConsumer consumer, List<Message> unacknowledged) throws Exception {
        traffic.stopProducers();
        while (!ledger.missing().isEmpty() && traffic.problems().isEmpty()) {
            Message m = consumer.receive(5_000);
            assertThat(m).as("a message for %s", ledger).isNotNull();
            ledger.handedOut(m);
            unacknowledged.add(m);
            acknowledge(unacknowledged);
        }

        LOG.info("{}; {}; {}", ledger, producerWatch, consumerWatch);
        assertNothingReachedTheApplicationAndNothingWasLost();
    }

    /** Receives {@code count} messages (a receive that throws or times out fails the test). */
    private void receive(MessageConsumer consumer, List<Message> unacknowledged, int count) throws JMSException {
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(10_000);
            assertThat(m).as("a message within 10 s; %s; problems %s", ledger, traffic.problems()).isNotNull();
            ledger.handedOut(m);
            unacknowledged.add(m);
        }
    }

    /** Acknowledges the session's messages (an exception fails the test: no cut spans this acknowledge). */
    private void acknowledge(List<Message> unacknowledged) throws JMSException {
        if (unacknowledged.isEmpty()) {
            return;
        }
        unacknowledged.get(unacknowledged.size() - 1).acknowledge();
        for (Message m : unacknowledged) {
            ledger.consumed(ledger.number(m));
        }
        unacknowledged.clear();
    }

    private void assertNothingReachedTheApplicationAndNothingWasLost() {
        assertSoftly(softly -> {
            softly.assertThat(traffic.problems()).as("exceptions that reached the application").isEmpty();
            softly.assertThat(ledger.missing()).as("numbers sent and never acknowledged").isEmpty();
            softly.assertThat(ledger.unflaggedAgain()).as("copies handed out again without JMSRedelivered").isEmpty();
            for (Watch watch : List.of(producerWatch, consumerWatch)) {
                softly.assertThat(watch.interruptions()).as("%s", watch).isEqualTo(1);
                softly.assertThat(watch.restores()).as("%s", watch).isEqualTo(1);
            }
        });
    }

    @FunctionalInterface
    private interface JmsCall {
        void call() throws JMSException;
    }

    /** The JMSException the call threw, or null when it returned. */
    private static JMSException catchJms(JmsCall call) {
        try {
            call.call();
            return null;
        } catch (JMSException e) {
            return e;
        }
    }
}
