package io.tunnelmq.tck.joram;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The administration Joram drives: a broker per test, and the objects it asks for bound in JNDI. */
@Timeout(30)
class TunnelJoramAdminTest {
    private final TunnelJoramAdmin admin = new TunnelJoramAdmin();

    @AfterEach
    void stopBroker() {
        admin.stopServer();
    }

    @Test
    void objectsItCreatesCanBeLookedUpAndUsed() throws Exception {
        admin.startServer();
        admin.start();
        admin.createQueueConnectionFactory("testQCF");
        admin.createQueue("testJoramQueue");
        admin.createTopic("testJoramTopic");
        Context ctx = admin.createContext();

        ConnectionFactory factory = (ConnectionFactory) ctx.lookup("testQCF");
        Queue queue = (Queue) ctx.lookup("testJoramQueue");
        assertThat(((Topic) ctx.lookup("testJoramTopic")).getTopicName()).isEqualTo("testJoramTopic");
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(queue);
            c.start();
            s.createProducer(queue).send(s.createTextMessage("through the admin's broker"));
            TextMessage m = (TextMessage) consumer.receive(10_000);
            assertThat(m.getText()).isEqualTo("through the admin's broker");
        }
    }

    @Test
    void deletedObjectsAreNoLongerBound() throws Exception {
        admin.startServer();
        admin.createConnectionFactory("cf");
        admin.createQueue("q");
        admin.deleteConnectionFactory("cf");
        admin.deleteQueue("q");
        Context ctx = admin.createContext();
        assertThatThrownBy(() -> ctx.lookup("cf")).isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> ctx.lookup("q")).isInstanceOf(NameNotFoundException.class);
    }

    @Test
    void stopServerEndsTheBrokerAndIsIdempotent() throws Exception {
        admin.startServer();
        admin.createConnectionFactory("cf");
        ConnectionFactory factory = (ConnectionFactory) admin.createContext().lookup("cf");
        admin.stop();
        admin.stopServer();
        admin.stopServer();
        assertThatThrownBy(factory::createConnection).isInstanceOf(jakarta.jms.JMSException.class);
    }

    @Test
    void administeredObjectsBeforeStartServerAreRefusedWithAnExplanation() {
        assertThatThrownBy(() -> admin.createConnectionFactory("cf"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("startServer()");
        assertThatThrownBy(admin::createContext).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nameIsTheProduct() throws NamingException {
        assertThat(admin.getName()).isEqualTo("TunnelMQ");
    }
}
