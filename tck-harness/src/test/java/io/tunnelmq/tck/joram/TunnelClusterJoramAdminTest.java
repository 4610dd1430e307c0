package io.tunnelmq.tck.joram;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.Context;

import static org.assertj.core.api.Assertions.assertThat;

/** The administration of the joram-cluster run: two brokers over one PostgreSQL, connections on alternate brokers. */
@Timeout(60)
class TunnelClusterJoramAdminTest {
    private final TunnelClusterJoramAdmin admin = new TunnelClusterJoramAdmin();

    @AfterEach
    void stopBrokers() {
        admin.stopServer();
    }

    @Test
    void successiveConnectionsGoToAlternateBrokersThatShareTheQueues() throws Exception {
        admin.startServer();
        admin.createQueueConnectionFactory("testQCF");
        admin.createQueue("testJoramQueue");
        Context ctx = admin.createContext();
        ConnectionFactory factory = (ConnectionFactory) ctx.lookup("testQCF");
        Queue queue = (Queue) ctx.lookup("testJoramQueue");
        try (Connection sender = factory.createConnection(); Connection receiver = factory.createConnection()) {
            assertThat(admin.brokers()).as("one connection on each broker")
                    .allSatisfy(b -> assertThat(b.connectionCount()).isEqualTo(1));
            Session s = sender.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(queue).send(s.createTextMessage("from one broker to the other"));
            Session r = receiver.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = r.createConsumer(queue);
            receiver.start();
            TextMessage m = (TextMessage) consumer.receive(10_000);
            assertThat(m.getText()).isEqualTo("from one broker to the other");
        }
        try (Connection third = ((ConnectionFactory) admin.createContext().lookup("testQCF")).createConnection()) {
            assertThat(third).as("a context made later hands out the same alternation").isNotNull();
        }
    }
}
