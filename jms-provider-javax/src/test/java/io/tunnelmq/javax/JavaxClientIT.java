package io.tunnelmq.javax;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.ConnectionMetaData;
import javax.jms.InvalidSelectorException;
import javax.jms.JMSContext;
import javax.jms.MapMessage;
import javax.jms.MessageConsumer;
import javax.jms.ObjectMessage;
import javax.jms.Queue;
import javax.jms.Session;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A javax.jms application's view of the jar: it names no TunnelMQ class (it could not — this test compiles before the
 * jar exists), it finds the factories and queues in JNDI by the documented InitialContextFactory name, and it gets
 * javax.jms objects and javax.jms exceptions back, from the plain and the pooled factory.
 */
@Timeout(60)
class JavaxClientIT {
    private static final long RECEIVE_TIMEOUT_MILLIS = 10_000;

    private static EmbeddedBroker broker;
    private static Context jndi;

    @BeforeAll
    static void startBroker() throws NamingException {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "io.tunnelmq.jndi.TunnelInitialContextFactory");
        env.put("connectionFactory.plain", broker.url());
        env.put("connectionFactory.pooled", broker.url() + "?pool=true");
        env.put("queue.orders", "orders");
        env.put("queue.invoices", "invoices");
        jndi = new InitialContext(env);
    }

    @AfterAll
    static void stopBroker() throws NamingException {
        if (jndi != null) {
            jndi.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void classicApiSendsAndReceivesJavaxMessages() throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("plain");
        Queue orders = (Queue) jndi.lookup("orders");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(orders);
            connection.start();
            MapMessage map = session.createMapMessage();
            map.setString("item", "tea");
            session.createProducer(orders).send(map);
            session.createProducer(orders).send(session.createObjectMessage(new ArrayList<>(List.of("javax", "jms"))));

            MapMessage gotMap = (MapMessage) consumer.receive(RECEIVE_TIMEOUT_MILLIS);
            assertThat(gotMap.getString("item")).isEqualTo("tea");
            assertThat(gotMap.getJMSDestination()).isEqualTo(orders);
            ObjectMessage gotObject = (ObjectMessage) consumer.receive(RECEIVE_TIMEOUT_MILLIS);
            assertThat(gotObject.getObject()).isEqualTo(List.of("javax", "jms"));
        }
    }

    @Test
    void metaDataSaysJms20() throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("plain");
        try (Connection connection = factory.createConnection()) {
            ConnectionMetaData md = connection.getMetaData();
            assertThat(md.getJMSVersion()).isEqualTo("2.0");
            assertThat(md.getJMSMajorVersion()).isEqualTo(2);
            assertThat(md.getJMSMinorVersion()).isZero();
            assertThat(md.getJMSProviderName()).isEqualTo("TunnelMQ");
        }
    }

    @Test
    void pooledFactoryServesJmsContextIncludingReceiveBody() throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("pooled");
        assertThat(factory.getClass().getName()).isEqualTo("io.tunnelmq.jms.pool.PooledConnectionFactory");
        Queue invoices = (Queue) jndi.lookup("invoices");
        AutoCloseable pool = (AutoCloseable) factory; // it owns its connections: an application closes it at the end
        try (pool; JMSContext context = factory.createContext()) {
            context.createProducer().setProperty("amount", 42).send(invoices, "invoice 1");
            assertThat(context.createConsumer(invoices).receiveBody(String.class, RECEIVE_TIMEOUT_MILLIS))
                    .isEqualTo("invoice 1");
        }
    }

    @Test
    void errorsArriveAsJavaxJmsExceptions() throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("plain");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue orders = (Queue) jndi.lookup("orders");
            assertThatThrownBy(() -> session.createConsumer(orders, "price >"))
                    .isInstanceOf(InvalidSelectorException.class)
                    .hasMessageContaining("price >");
        }
    }
}
