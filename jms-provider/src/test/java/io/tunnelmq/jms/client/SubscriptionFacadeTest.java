package io.tunnelmq.jms.client;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The facade's side of unsubscribe, QueueBrowser and temporary destinations, against the fake engine. */
@Timeout(30)
class SubscriptionFacadeTest extends FakeBrokerTestSupport {

    @Test
    void unsubscribeChecksLocallyThenMapsTheBrokersAnswer() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        assertThatThrownBy(() -> session.unsubscribe("")).isInstanceOf(JMSException.class)
                .hasMessageContaining("must not be null or empty");
        session.createSharedConsumer(session.createTopic("t"), "busy");
        assertThatThrownBy(() -> session.unsubscribe("busy")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still has an open consumer");
        assertThat(broker.log()).noneMatch(line -> line.startsWith("unsubscribe"));

        broker.failNext("unsubscribe", ErrorCode.INVALID_DESTINATION);
        assertThatThrownBy(() -> session.unsubscribe("unknown")).isInstanceOf(InvalidDestinationException.class);
        broker.failNext("unsubscribe", ErrorCode.ILLEGAL_STATE);
        assertThatThrownBy(() -> session.unsubscribe("elsewhere")).isInstanceOf(IllegalStateException.class);
        session.unsubscribe("fine");
        assertThat(broker.log()).contains("unsubscribe fine");
    }

    @Test
    void namesLongerThanTheLimitAreRefusedBeforeTheyLeaveTheClient() throws JMSException {
        String tooLong = "q".repeat(Protocol.MAX_NAME_BYTES + 1);
        Connection c = connect();
        Session session = c.createSession();
        assertThat(session.createQueue("q".repeat(Protocol.MAX_NAME_BYTES)).getQueueName()).hasSize(1024);
        assertThatThrownBy(() -> session.createQueue(tooLong)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("may be at most 1024 bytes");
        assertThatThrownBy(() -> session.createTopic(tooLong)).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> session.createSharedDurableConsumer(session.createTopic("t"), tooLong))
                .isInstanceOf(JMSException.class).hasMessageContaining("subscription name may be at most");
        assertThatThrownBy(() -> session.unsubscribe(tooLong)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> connect().setClientID(tooLong)).isInstanceOf(InvalidClientIDException.class)
                .hasMessageContaining("client ID may be at most");
        try (JMSContext context = factory.createContext()) {
            assertThatThrownBy(() -> context.createQueue(tooLong))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> context.createTopic(tooLong))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
        }
    }

    @Test
    void namesThatWouldShowAsSomethingElseAreRefusedBeforeTheyLeaveTheClient() throws JMSException {
        String forged = "orders\n2026-12-08 12:00:00 INFO admin logged in";
        Connection c = connect();
        Session session = c.createSession();
        assertThatThrownBy(() -> session.createQueue(forged)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("may not contain control characters").hasMessageContaining("U+000A at index 6");
        assertThatThrownBy(() -> session.createTopic("t\u202e")).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> session.createDurableSubscriber(session.createTopic("t"), "s\r"))
                .isInstanceOf(JMSException.class).hasMessageContaining("subscription name may not contain");
        assertThatThrownBy(() -> session.unsubscribe("s\u0000")).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> connect().setClientID("app\t1")).isInstanceOf(InvalidClientIDException.class)
                .hasMessageContaining("client ID may not contain");
        try (JMSContext context = factory.createContext()) {
            assertThatThrownBy(() -> context.createQueue(forged))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
        }
        assertThat(broker.log()).noneMatch(line -> line.contains("orders") || line.startsWith("unsubscribe"));
    }

    @Test
    void aBrowserWalksEveryPageInOrderAndEachEnumerationStartsAfresh() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue queue = session.createQueue("long");
        MessageProducer p = session.createProducer(queue);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 2 * JmsQueueBrowser.PAGE_SIZE + 17; i++) {
            sent.add("m" + i);
            p.send(session.createTextMessage("m" + i));
        }
        QueueBrowser browser = session.createBrowser(queue);
        for (int round = 0; round < 2; round++) {
            List<String> seen = new ArrayList<>();
            Enumeration<?> e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                seen.add(((TextMessage) e.nextElement()).getText());
            }
            assertThat(seen).containsExactlyElementsOf(sent);
        }
        assertThat(broker.depth("long")).as("nothing was consumed").isEqualTo(sent.size());
    }

    @Test
    void aBrowserReportsFailuresAndRefusesUseAfterClose() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue queue = session.createQueue("q");
        MessageProducer p = session.createProducer(queue);
        for (int i = 0; i < JmsQueueBrowser.PAGE_SIZE + 1; i++) {
            p.send(session.createTextMessage("m" + i));
        }
        assertThatThrownBy(() -> session.createBrowser(null)).isInstanceOf(InvalidDestinationException.class);
        QueueBrowser browser = session.createBrowser(queue);

        broker.failNext("browse", ErrorCode.INVALID_DESTINATION);
        assertThatThrownBy(browser::getEnumeration).isInstanceOf(InvalidDestinationException.class);

        Enumeration<?> e = browser.getEnumeration();
        for (int i = 0; i < JmsQueueBrowser.PAGE_SIZE; i++) {
            e.nextElement();
        }
        broker.failNext("browse", ErrorCode.CONNECTION_FAILED);
        assertThatThrownBy(e::hasMoreElements).isInstanceOf(JMSRuntimeException.class)
                .hasMessageContaining("browsing q");

        browser.close();
        assertThatThrownBy(browser::getEnumeration).isInstanceOf(IllegalStateException.class);
        QueueBrowser other = session.createBrowser(queue);
        session.close();
        assertThatThrownBy(other::getEnumeration).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void temporaryDestinationsAreCreatedAndDeletedOnTheBroker() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        TemporaryQueue queue = session.createTemporaryQueue();
        TemporaryTopic topic = session.createTemporaryTopic();
        assertThat(broker.log()).contains("createTemporary " + queue.getQueueName(),
                "createTemporary " + topic.getTopicName());
        queue.delete();
        queue.delete(); // a second delete is harmless
        assertThat(broker.log()).containsOnlyOnce("deleteTemporary " + queue.getQueueName());

        broker.failNext("deleteTemporary", ErrorCode.ILLEGAL_STATE);
        assertThatThrownBy(topic::delete).isInstanceOf(IllegalStateException.class);
        broker.failNext("createTemporary", ErrorCode.RESOURCE_EXHAUSTED);
        assertThatThrownBy(session::createTemporaryQueue).isInstanceOf(jakarta.jms.ResourceAllocationException.class);
        c.close();
        assertThatThrownBy(topic::delete).isInstanceOf(IllegalStateException.class);
    }
}
