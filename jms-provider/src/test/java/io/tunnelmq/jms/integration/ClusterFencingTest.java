package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.faults.FaultProxy;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker of a cluster is taken for dead by the others while it is alive (cut off from the database, or paused,
 * longer than postgresql.staleMillis), or its connections to the database stall: it stops serving instead of
 * delivering what the others now hand out, and its clients continue on another broker of their URL, where what it held
 * comes again, flagged where the application saw it, once each.
 */
@Timeout(90)
class ClusterFencingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path data;

    /** Something that makes the others take the victim for dead while it lives; returns once it fenced itself. */
    private interface Fault {
        void strike() throws Exception;
    }

    @Test
    void clientsOfABrokerTakenForDeadWhileAliveContinueOnTheOtherAndGetWhatItHeldOnce() throws Exception {
        try (BrokerCluster cluster = BrokerCluster.start(data, 1)) {
            String fencedId = ClusterDatabase.brokerIds(cluster.database()).get(0);
            cluster.startBroker(UnaryOperator.identity());
            heldMessagesComeOnceThroughTheOther(cluster, cluster.address(0), cluster.address(1), "fencing.reaped",
                    () -> {
                        ClusterDatabase.takeForDead(cluster.database(), fencedId);
                        cluster.broker(0).fenced().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    });
            assertThat(ClusterDatabase.brokerIds(cluster.database())).as("the brokers over the database")
                    .hasSize(1).doesNotContain(fencedId);
        }
    }

    @Test
    void aBrokerWhoseDatabaseConnectionsStallFencesItselfAndItsClientsContinueOnTheOther() throws Exception {
        try (BrokerCluster cluster = BrokerCluster.start(data, 0)) {
            PostgresSettings direct = cluster.database();
            URI url = URI.create(direct.url().substring("jdbc:".length()));
            try (FaultProxy proxy = FaultProxy.start(url.getHost(), url.getPort())) {
                cluster.startBroker(c -> c.withPostgresqlStore(direct.withUrl("jdbc:postgresql://127.0.0.1:"
                        + proxy.port() + url.getPath())));
                cluster.startBroker(UnaryOperator.identity());
                heldMessagesComeOnceThroughTheOther(cluster, cluster.address(0), cluster.address(1), "fencing.stalled",
                        () -> {
                            proxy.stall();
                            cluster.broker(0).fenced().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                        });
            }
        }
    }

    @Test
    void aBrokerProcessFrozenUntilTheOthersTookItForDeadFencesItselfWhenItThawsAndStartsAgain() throws Exception {
        try (BrokerCluster cluster = BrokerCluster.start(data, 1)) {
            BrokerProcess frozen = cluster.startProcess();
            heldMessagesComeOnceThroughTheOther(cluster, frozen.address(), cluster.address(0), "fencing.frozen", () -> {
                signal("STOP", frozen);
                try {
                    eventually("the others took the frozen broker for dead", PATIENCE,
                            () -> ClusterDatabase.brokerIds(cluster.database()).size() == 1);
                } finally {
                    signal("CONT", frozen);
                }
                eventually("it started again as a new member", PATIENCE,
                        () -> ClusterDatabase.brokerIds(cluster.database()).size() == 2);
            });
        }
    }

    private static void signal(String name, BrokerProcess broker) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(broker.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + name).isTrue();
    }

    /**
     * The victim hands three messages of {@code queueName} to a client whose URL lists the victim then the survivor,
     * and its application sees the first; then {@code fault} strikes, the victim fences itself, and the client gets
     * the three again (through whichever broker serves it now), the first flagged, each once.
     */
    private static void heldMessagesComeOnceThroughTheOther(BrokerCluster cluster, String victim, String survivor,
                                                            String queueName, Fault fault) throws Exception {
        String url = BrokerCluster.failoverUrl(List.of(victim, survivor));
        try (Connection connection = new TunnelConnectionFactory(url).createConnection()) {
            Session sending = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = sending.createQueue(queueName);
            MessageProducer producer = sending.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 3; i++) {
                producer.send(sending.createTextMessage("held" + i));
            }
            Session holding = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer holder = holding.createConsumer(queue);
            connection.start();
            Message seen = holder.receive(PATIENCE.toMillis());
            assertThat(((TextMessage) seen).getText()).isEqualTo("held0");
            eventually("the delivery the application saw is counted in the database", PATIENCE,
                    () -> ClusterDatabase.count(cluster.database(), "SELECT count(*) FROM tmq_messages"
                            + " WHERE queue_name = ? AND delivery_count >= 2", queueName) == 1);

            fault.strike();

            List<String> after = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message again = holder.receive(PATIENCE.toMillis());
                assertThat(again).as("held message %d through the other broker", i).isNotNull();
                after.add(((TextMessage) again).getText() + (again.getJMSRedelivered() ? " again" : ""));
            }
            assertThat(after).containsExactly("held0 again", "held1", "held2");
            producer.send(sending.createTextMessage("after"));
            Message next = holder.receive(PATIENCE.toMillis());
            assertThat(((TextMessage) next).getText()).as("the next message, not one handed out a second time")
                    .isEqualTo("after");
            // held0's first copy was locked through the fenced broker: acknowledge() names it, and completes the rest
            JMSException lostLock = null;
            try {
                next.acknowledge();
            } catch (JMSException e) {
                lostLock = e;
            }
            assertThat(lostLock).as("acknowledge() names the lock lost with the fenced broker").isNotNull();
            assertThat(lostLock.getMessage()).contains(seen.getJMSMessageID());
        }
        eventually("every message completed", PATIENCE, () -> cluster.stored(queueName) == 0);
    }
}
