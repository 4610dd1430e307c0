package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durable subscriptions, unsubscribe and noLocal through the real client, tunnel and broker. */
@Timeout(60)
class DurableSubscriptionTest {
    private static final long WAIT = 5_000;
    /** How long to wait for a message that must not come. */
    private static final long NOTHING = 300;

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

    private Connection connect(String clientId) throws JMSException {
        Connection c = factory.createConnection();
        if (clientId != null) {
            c.setClientID(clientId);
        }
        c.start();
        return c;
    }

    private static void publish(Connection c, Topic topic, String... texts) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(topic);
            for (String t : texts) {
                p.send(s.createTextMessage(t));
            }
        }
    }

    private static List<String> receiveAll(MessageConsumer consumer, int count) throws JMSException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TextMessage m = (TextMessage) consumer.receive(WAIT);
            assertThat(m).as("message %d of %d", i + 1, count).isNotNull();
            got.add(m.getText());
        }
        return got;
    }

    @Test
    void aDurableSubscriberReceivesWhatWasPublishedWhileItWasDisconnected() throws Exception {
        try (Connection first = connect("reader")) {
            Session s = first.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(s.createTopic("news"), "daily").close();
        }
        try (Connection publisher = connect(null)) {
            publish(publisher, publisher.createSession().createTopic("news"), "n1", "n2", "n3");
        }
        try (Connection again = connect("reader")) {
            Session s = again.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TopicSubscriber sub = s.createDurableSubscriber(s.createTopic("news"), "daily");
            assertThat(receiveAll(sub, 3)).containsExactly("n1", "n2", "n3");
            assertThat(sub.receive(NOTHING)).isNull();
        }
    }

    @Test
    void aDurableSubscriptionNeedsAClientIdAndAllowsOneActiveConsumer() throws Exception {
        try (Connection anonymous = connect(null); Connection named = connect("solo")) {
            Session s = anonymous.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createDurableConsumer(s.createTopic("t"), "sub"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("client ID");

            Session ns = named.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = ns.createTopic("t");
            MessageConsumer active = ns.createDurableConsumer(topic, "sub");
            Session other = named.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> other.createDurableConsumer(topic, "sub"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("active consumer");
            active.close();
            other.createDurableConsumer(topic, "sub").close();
        }
    }

    @Test
    void unsubscribeRefusesUnknownAndActiveSubscriptionsAndDropsTheMessages() throws Exception {
        try (Connection c = connect("u1"); Connection publisher = connect(null)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("alerts");
            assertThatThrownBy(() -> s.unsubscribe("never-made"))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("never-made");

            MessageConsumer consumer = s.createDurableConsumer(topic, "watch");
            assertThatThrownBy(() -> s.unsubscribe("watch")).isInstanceOf(IllegalStateException.class);
            // from another session of the same connection the broker refuses it too
            Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> other.unsubscribe("watch")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("active consumer");
            consumer.close();

            publish(publisher, topic, "before-unsubscribe");
            s.unsubscribe("watch");
            assertThatThrownBy(() -> s.unsubscribe("watch")).isInstanceOf(InvalidDestinationException.class);

            MessageConsumer fresh = s.createDurableConsumer(topic, "watch");
            assertThat(fresh.receive(NOTHING)).as("a new subscription starts empty").isNull();
            publish(publisher, topic, "after");
            assertThat(((TextMessage) fresh.receive(WAIT)).getText()).isEqualTo("after");
        }
    }

    @Test
    void unsubscribeWaitsForUnacknowledgedMessagesOfTheSubscription() throws Exception {
        try (Connection c = connect("acker"); Connection publisher = connect(null)) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = s.createTopic("receipts");
            MessageConsumer consumer = s.createDurableConsumer(topic, "pending");
            publish(publisher, topic, "r1");
            TextMessage received = (TextMessage) consumer.receive(WAIT);
            consumer.close();
            assertThatThrownBy(() -> s.unsubscribe("pending")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not acknowledged");
            received.acknowledge();
            s.unsubscribe("pending");
        }
    }

    @Test
    void aChangedTopicReplacesTheSubscriptionAndItsMessages() throws Exception {
        try (Connection c = connect("mover"); Connection publisher = connect(null)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic a = s.createTopic("topic.a");
            Topic b = s.createTopic("topic.b");
            s.createDurableConsumer(a, "sub").close();
            publish(publisher, a, "old");

            MessageConsumer moved = s.createDurableConsumer(b, "sub");
            assertThat(moved.receive(NOTHING)).as("the old subscription's message went with it").isNull();
            publish(publisher, a, "a-again");
            publish(publisher, b, "b1");
            assertThat(((TextMessage) moved.receive(WAIT)).getText()).isEqualTo("b1");
            assertThat(moved.receive(NOTHING)).isNull();
        }
    }

    @Test
    void noLocalSkipsWhatTheSameConnectionPublishes() throws Exception {
        try (Connection c = connect("local"); Connection other = connect(null)) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("chatter");
            MessageConsumer durable = s.createDurableConsumer(topic, "remote-only", null, true);
            MessageConsumer plain = s.createConsumer(topic, null, true);
            MessageConsumer everything = s.createConsumer(topic);

            publish(c, topic, "mine");
            publish(other, topic, "theirs");

            assertThat(((TextMessage) durable.receive(WAIT)).getText()).isEqualTo("theirs");
            assertThat(((TextMessage) plain.receive(WAIT)).getText()).isEqualTo("theirs");
            assertThat(receiveAll(everything, 2)).containsExactly("mine", "theirs");
            assertThat(durable.receive(NOTHING)).isNull();
            assertThat(plain.receive(NOTHING)).isNull();
        }
    }

    @Test
    void noLocalFollowsTheSubscriptionToTheConnectionThatConsumesItNow() throws Exception {
        try (Connection first = connect("local")) {
            Session s = first.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("chatter"), "remote-only", null, true).close();
        }
        try (Connection second = connect("local"); Connection other = connect(null)) {
            Session s = second.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("chatter");
            MessageConsumer durable = s.createDurableConsumer(topic, "remote-only", null, true);
            publish(second, topic, "mine");
            publish(other, topic, "theirs");
            assertThat(receiveAll(durable, 1)).containsExactly("theirs");
            assertThat(durable.receive(NOTHING)).isNull();
        }
    }
}
