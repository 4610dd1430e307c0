package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.integration.Traffic.Watch;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * Issue 13: a broker process is killed with SIGKILL and restarted on the same port and data directory three times,
 * at random-ish moments while persistent traffic runs, and the application notices nothing. Five consumer kinds, each
 * on its own destination fed by its own producer: an AUTO_ACKNOWLEDGE receive loop, a transacted consumer, a durable
 * topic subscriber, a MessageListener and a JMSContext pair. Per destination: every number whose send returned is
 * consumed, a number handed out again is flagged JMSRedelivered, no ExceptionListener call and no exception (except
 * TransactionRolledBackException from a commit spanning a cut), and the connection listener heard every interruption
 * and restore. Default reconnect settings. Logs the time from each restart's "listening on" to the first message
 * handed out again.
 */
@Timeout(90)
class BrokerKillFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerKillFailoverTest.class);
    private static final int KILLS = 3;
    /** Pause between two sends of one producer: five producers stay within what two loaded cores consume. */
    private static final Duration PACE = Duration.ofMillis(2);

    @TempDir
    Path data;

    @Test
    void fiveConsumerKindsLoseNothingAndSeeNoExceptionWhenTheBrokerIsKilledThreeTimes() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        LOG.info("kill schedule seed {}", seed);
        try (BrokerProcess broker = BrokerProcess.start(data, BrokerProcess.freePort(), List.of("-Xmx256m"),
                List.of());
             Traffic traffic = new Traffic()) {
            String url = broker.url();
            Connection producing = new TunnelConnectionFactory(url).createConnection();
            Watch producerWatch = traffic.watch(producing, "producer connection");
            Connection consuming = new TunnelConnectionFactory(url + "?clientID=kill-test").createConnection();
            Watch consumerWatch = traffic.watch(consuming, "consumer connection");
            JMSContext producerContext = new TunnelConnectionFactory(url).createContext(JMSContext.AUTO_ACKNOWLEDGE);
            traffic.closeAtEnd(producerContext);
            producerContext.setExceptionListener(traffic.exceptionListener("JMSContext connection"));
            JMSContext consumerContext = producerContext.createContext(JMSContext.AUTO_ACKNOWLEDGE);
            traffic.closeAtEnd(consumerContext);

            TrafficLedger auto = traffic.ledger("auto-ack queue");
            TrafficLedger transacted = traffic.ledger("transacted queue");
            TrafficLedger durable = traffic.ledger("durable topic");
            TrafficLedger listened = traffic.ledger("listener queue");
            TrafficLedger context = traffic.ledger("JMSContext queue");
            List<TrafficLedger> ledgers = List.of(auto, transacted, durable, listened, context);

            // consumers first: the durable subscription must exist before anything is published
            Session autoSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer autoConsumer = autoSession.createConsumer(autoSession.createQueue("kill.auto"));
            traffic.consume("auto-ack consumer", auto, autoConsumer::receive);
            Session txSession = consuming.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer txConsumer = txSession.createConsumer(txSession.createQueue("kill.transacted"));
            traffic.consumeTransacted("transacted consumer", transacted, txSession, txConsumer::receive, 5);
            Session durableSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer subscriber = durableSession.createDurableSubscriber(
                    durableSession.createTopic("kill.topic"), "kill-subscription");
            traffic.consume("durable subscriber", durable, subscriber::receive);
            Session listenerSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            listenerSession.createConsumer(listenerSession.createQueue("kill.listener"))
                    .setMessageListener(traffic.listener("message listener", listened));
            JMSConsumer contextConsumer = consumerContext.createConsumer(consumerContext.createQueue("kill.context"));
            traffic.consume("JMSContext consumer", context, contextConsumer::receive);
            consuming.start();

            produce(traffic, producing, "kill.auto", false, auto);
            produce(traffic, producing, "kill.transacted", false, transacted);
            produce(traffic, producing, "kill.topic", true, durable);
            produce(traffic, producing, "kill.listener", false, listened);
            Queue contextQueue = producerContext.createQueue("kill.context");
            JMSProducer contextProducer = producerContext.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
            traffic.produce("JMSContext producer", context, PACE,
                    n -> contextProducer.setProperty(Traffic.NUMBER, n).send(contextQueue, "m" + n));

            long began = System.nanoTime();
            List<String> figures = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                int after = 30 + random.nextInt(150); // messages handed out since the last restore
                int target = handedOut(ledgers) + after;
                traffic.await(after + " more messages were handed out before kill " + kill, Duration.ofSeconds(20),
                        () -> handedOut(ledgers) >= target);

                broker.kill();
                broker.restart();

                long listening = broker.listeningNanos();
                traffic.await("every destination handed out a message after restart " + kill,
                        Duration.ofSeconds(30), () -> ledgers.stream()
                                .allMatch(l -> l.handedOutSince(listening).isPresent()));
                long first = ledgers.stream().map(l -> l.handedOutSince(listening)).mapToLong(OptionalLong::getAsLong)
                        .min().orElseThrow();
                long all = ledgers.stream().map(l -> l.handedOutSince(listening)).mapToLong(OptionalLong::getAsLong)
                        .max().orElseThrow();
                String figure = String.format("restart %d (after %d messages): first message handed out again %d ms"
                                + " after the broker printed 'listening on', every destination after %d ms", kill,
                        after, millis(first - listening), millis(all - listening));
                LOG.info(figure);
                figures.add(figure);
            }
            int target = handedOut(ledgers) + 100;
            traffic.await("100 more messages after the last restart", Duration.ofSeconds(20),
                    () -> handedOut(ledgers) >= target);
            traffic.stopProducers();
            // the assertions below say what is missing, with everything else that went wrong
            traffic.within(Duration.ofSeconds(30), () -> ledgers.stream().allMatch(l -> l.missing().isEmpty()));
            traffic.stopConsumers();

            LOG.info("after {} kills, {} s of traffic: {}; {} commit(s) rolled back; {}; {}", KILLS,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began), ledgers, traffic.rolledBack(),
                    producerWatch, consumerWatch);
            figures.forEach(LOG::info);
            // every broken promise at once: one destination's failure says little about the others'
            assertSoftly(softly -> {
                softly.assertThat(traffic.problems()).as("exceptions that reached the application").isEmpty();
                for (TrafficLedger ledger : ledgers) {
                    softly.assertThat(ledger.missing()).as("%s: numbers sent and never consumed", ledger.name)
                            .isEmpty();
                    softly.assertThat(ledger.unflaggedAgain()).as("%s: copies handed out again without"
                            + " JMSRedelivered", ledger.name).isEmpty();
                    softly.assertThat(ledger.sentCount()).as("%s: numbers sent", ledger.name).isGreaterThan(0);
                }
                for (Watch watch : List.of(producerWatch, consumerWatch)) {
                    softly.assertThat(watch.interruptions()).as("%s", watch).isEqualTo(KILLS);
                    softly.assertThat(watch.restores()).as("%s", watch).isEqualTo(KILLS);
                    softly.assertThat(watch.restoredOn()).as("%s", watch).isEqualTo(broker.address());
                }
            });
        }
    }

    /** A producer session of its own sending persistent numbered messages to a queue (or topic) on its own thread. */
    private static void produce(Traffic traffic, Connection connection, String name, boolean topic, TrafficLedger ledger)
            throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Destination destination = topic ? session.createTopic(name) : session.createQueue(name);
        MessageProducer producer = session.createProducer(destination);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        traffic.produce("producer of " + name, ledger, PACE, n -> {
            Message m = session.createTextMessage("m" + n);
            m.setIntProperty(Traffic.NUMBER, n);
            producer.send(m);
        });
    }

    private static int handedOut(List<TrafficLedger> ledgers) {
        return ledgers.stream().mapToInt(TrafficLedger::handedOutCount).sum();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
