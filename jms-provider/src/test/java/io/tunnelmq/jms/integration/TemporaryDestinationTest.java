package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Temporary queues and topics through the real client, tunnel and broker. */
@Timeout(60)
class TemporaryDestinationTest {
    private static final long WAIT = 5_000;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Connection connect() throws JMSException {
        Connection c = factory.createConnection();
        c.start();
        return c;
    }

    @Test
    void requestReplyOverATemporaryQueueAcrossConnections() throws Exception {
        try (Connection requester = connect(); Connection server = connect()) {
            Session rs = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = rs.createTemporaryQueue();
            MessageConsumer replyConsumer = rs.createConsumer(replies);
            Queue requests = rs.createQueue("service.requests");
            TextMessage request = rs.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            rs.createProducer(requests).send(request);

            Session ss = server.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message got = ss.createConsumer(requests).receive(WAIT);
            assertThat(got.getJMSReplyTo()).isEqualTo(replies);
            TextMessage reply = ss.createTextMessage("pong");
            reply.setJMSCorrelationID(got.getJMSMessageID());
            ss.createProducer(got.getJMSReplyTo()).send(reply);

            TextMessage answer = (TextMessage) replyConsumer.receive(WAIT);
            assertThat(answer.getText()).isEqualTo("pong");
            assertThat(answer.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
        }
    }

    @Test
    void onlyTheCreatingConnectionMayConsume() throws Exception {
        try (Connection owner = connect(); Connection other = connect()) {
            TemporaryQueue queue = owner.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue();
            TemporaryTopic topic = owner.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryTopic();
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> os.createConsumer(queue)).isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("only the connection that created it");
            assertThatThrownBy(() -> os.createConsumer(topic)).isInstanceOf(InvalidDestinationException.class);
            // but it may send
            os.createProducer(queue).send(os.createTextMessage("hello"));
            Message m = owner.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(queue).receive(WAIT);
            assertThat(((TextMessage) m).getText()).isEqualTo("hello");
        }
    }

    @Test
    void aTemporaryTopicDeliversToItsOwnersSubscribers() throws Exception {
        try (Connection owner = connect(); Connection other = connect()) {
            Session s = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryTopic topic = s.createTemporaryTopic();
            MessageConsumer subscriber = s.createConsumer(topic);
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(topic).send(os.createTextMessage("broadcast"));
            assertThat(((TextMessage) subscriber.receive(WAIT)).getText()).isEqualTo("broadcast");
        }
    }

    @Test
    void deleteFailsWhileConsumersAreOpenThenTheDestinationIsGone() throws Exception {
        try (Connection owner = connect(); Connection other = connect()) {
            Session s = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue queue = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(queue);
            assertThatThrownBy(queue::delete).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("consumers");
            consumer.close();
            queue.delete();

            assertThatThrownBy(() -> s.createConsumer(queue)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createProducer(queue).send(s.createTextMessage("x")))
                    .isInstanceOf(InvalidDestinationException.class);
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> os.createProducer(queue).send(os.createTextMessage("x")))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("does not exist");
        }
    }

    @Test
    void temporaryDestinationsAreDeletedWhenTheirConnectionCloses() throws Exception {
        try (Connection other = connect()) {
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue queue;
            try (Connection owner = connect()) {
                Session s = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
                queue = s.createTemporaryQueue();
                s.createConsumer(queue);
                MessageProducer p = os.createProducer(queue);
                p.send(os.createTextMessage("while it lives"));
            }
            assertThatThrownBy(() -> os.createProducer(queue).send(os.createTextMessage("after")))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("does not exist");
            assertThat(broker.queueDepth(queue.getQueueName())).as("its messages went with it").isZero();
        }
    }
}
