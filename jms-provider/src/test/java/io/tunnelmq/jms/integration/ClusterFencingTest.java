package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.faults.FaultProxy;
import io.tunnelmq.server.EmbeddedBroker;
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

    /** Something that makes the others take broker 0 for dead while it lives. */
    private interface Fault {
        void strike(BrokerCluster cluster) throws Exception;
    }

    @Test
    void clientsOfABrokerTakenForDeadWhileAliveContinueOnTheOtherAndGetWhatItHeldOnce() throws Exception {
        try (BrokerCluster cluster = BrokerCluster.start(data, 1)) {
            String fencedId = ClusterDatabase.brokerIds(cluster.database()).get(0);
            cluster.startBroker(UnaryOperator.identity());
            heldMessagesComeOnceThroughTheOther(cluster, "fencing.reaped",
                    c -> ClusterDatabase.takeForDead(c.database(), fencedId));
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
                heldMessagesComeOnceThroughTheOther(cluster, "fencing.stalled", c -> proxy.stall());
            }
        }
    }

    /**
     * Broker 0 hands three messages of {@code queueName} to a client whose URL lists broker 0 then broker 1, and its
     * application sees the first; then {@code fault} strikes: broker 0 fences itself, and the client gets the three
     * again through broker 1, the first flagged, each once.
     */
    private static void heldMessagesComeOnceThroughTheOther(BrokerCluster cluster, String queueName, Fault fault)
            throws Exception {
        EmbeddedBroker fenced = cluster.broker(0);
        String url = BrokerCluster.failoverUrl(List.of(cluster.address(0), cluster.address(1)));
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

            fault.strike(cluster);
            fenced.fenced().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

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
