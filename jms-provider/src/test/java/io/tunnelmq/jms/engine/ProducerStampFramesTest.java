package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.EngineFactories;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.frame.Send;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real facade over the real engine against a scripted broker: every producer stamps its persistent sends with its
 * own id and a sequence that grows by one per persistent send, so the broker can recognise a resend; non-persistent
 * and transacted sends carry no stamp.
 */
@Timeout(30)
class ProducerStampFramesTest {
    private FakeBroker broker;
    private final List<Frame> seen = new CopyOnWriteArrayList<>();
    private TunnelConnectionFactory factory;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        broker.script(in -> {
            seen.add(in);
            return broker.defaultAnswer(in);
        });
        factory = EngineFactories.connectionFactory(broker.connectionOptions(""), Engines.netty());
        connection = factory.createConnection();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private List<Send> sends() {
        return seen.stream().filter(f -> f instanceof Send).map(f -> (Send) f).toList();
    }

    private static List<Long> sequences(List<Send> sends) {
        return sends.stream().map(s -> s.stamp() == null ? 0L : s.stamp().sequence()).toList();
    }

    @Test
    void eachProducerNumbersItsPersistentSendsOneByOneUnderItsOwnId() throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = session.createQueue("q");
        MessageProducer first = session.createProducer(q);
        MessageProducer second = session.createProducer(null); // anonymous
        first.send(session.createTextMessage("1"));
        first.send(session.createTextMessage("2"));
        second.send(q, session.createTextMessage("3"));
        first.send(session.createTextMessage("np"), DeliveryMode.NON_PERSISTENT, 4, 0);
        first.send(session.createTextMessage("4"));
        second.send(q, session.createTextMessage("5"));
        first.close(); // the non-persistent send is on the wire once the producer closed

        List<Send> sends = sends();
        assertThat(sends).hasSize(6);
        ProducerStamp a = sends.get(0).stamp();
        ProducerStamp b = sends.get(2).stamp();
        assertThat(a.producerId()).isNotEqualTo(b.producerId());
        assertThat(sends).filteredOn(s -> s.stamp() != null && s.stamp().producerId().equals(a.producerId()))
                .extracting(s -> s.stamp().sequence()).containsExactly(1L, 2L, 3L);
        assertThat(sends).filteredOn(s -> s.stamp() != null && s.stamp().producerId().equals(b.producerId()))
                .extracting(s -> s.stamp().sequence()).containsExactly(1L, 2L);
        assertThat(sends.get(3).stamp()).as("a non-persistent send is not stamped").isNull();
    }

    @Test
    void producersOfAnotherConnectionHaveOtherIds() throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createProducer(session.createQueue("q")).send(session.createTextMessage("x"));
        try (Connection other = factory.createConnection()) {
            Session s2 = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s2.createProducer(s2.createQueue("q")).send(s2.createTextMessage("y"));
        }
        List<Send> sends = sends();
        assertThat(sequences(sends)).containsExactly(1L, 1L);
        assertThat(sends.get(0).stamp().producerId()).isNotEqualTo(sends.get(1).stamp().producerId());
    }

    @Test
    void jmsContextProducersAndAsynchronousSendsAreStampedToo() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue q = context.createQueue("q");
            var producer = context.createProducer();
            producer.send(q, "1");
            CountDownLatch done = new CountDownLatch(1);
            producer.setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                }
            }).send(q, "2");
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        List<Send> sends = sends();
        assertThat(sequences(sends)).containsExactly(1L, 2L);
        assertThat(sends.get(0).stamp().producerId()).isEqualTo(sends.get(1).stamp().producerId());
    }

    @Test
    void transactedSendsAreNotStamped() throws Exception {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        session.createProducer(session.createQueue("q")).send(session.createTextMessage("t"));
        session.commit();
        assertThat(sends()).singleElement().satisfies(s -> assertThat(s.stamp()).isNull());
    }
}
