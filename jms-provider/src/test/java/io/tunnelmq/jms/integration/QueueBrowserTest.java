package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** QueueBrowser through the real client, tunnel and broker. */
@Timeout(60)
class QueueBrowserTest {
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

    private static List<String> texts(QueueBrowser browser) throws JMSException {
        List<String> texts = new ArrayList<>();
        Enumeration<?> e = browser.getEnumeration();
        while (e.hasMoreElements()) {
            texts.add(((TextMessage) e.nextElement()).getText());
        }
        return texts;
    }

    @Test
    void aBrowserShowsTheMessagesInOrderWithoutLockingThem() throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("browse.me");
            MessageProducer p = s.createProducer(queue);
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            QueueBrowser browser = s.createBrowser(queue);
            assertThat(browser.getQueue()).isEqualTo(queue);
            assertThat(browser.getMessageSelector()).isNull();
            assertThat(texts(browser)).containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(broker.queueDepth("browse.me")).isEqualTo(5);

            c.start();
            MessageConsumer consumer = s.createConsumer(queue);
            for (int i = 0; i < 5; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT);
                assertThat(m.getText()).isEqualTo("m" + i);
                assertThat(m.getJMSRedelivered()).as("browsing is not a delivery").isFalse();
            }
            assertThat(texts(browser)).as("a new enumeration sees the queue as it is now").isEmpty();
            browser.close();
            assertThatThrownBy(browser::getEnumeration).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aPrefetchingConsumerDoesNotHideTheQueueFromABrowser() throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = s.createQueue("browse.prefetched");
            MessageConsumer consumer = s.createConsumer(queue);
            c.start();
            MessageProducer p = s.createProducer(queue);
            for (int i = 0; i < 3; i++) {
                p.send(s.createTextMessage("p" + i));
            }
            TextMessage first = (TextMessage) consumer.receive(WAIT);
            assertThat(first.getText()).isEqualTo("p0");
            assertThat(texts(s.createBrowser(queue))).as("received but unacknowledged, or only prefetched")
                    .containsExactly("p0", "p1", "p2");
            TextMessage second = (TextMessage) consumer.receive(WAIT);
            TextMessage third = (TextMessage) consumer.receive(WAIT);
            assertThat(third.getText()).isEqualTo("p2");
            assertThat(second.getJMSRedelivered()).isFalse();
            third.acknowledge();
            assertThat(texts(s.createBrowser(queue))).as("acknowledged messages are gone").isEmpty();
        }
    }

    @Test
    void aLongQueueIsBrowsedPageByPage() throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("browse.long");
            MessageProducer p = s.createProducer(queue);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                sent.add("n" + i);
                p.send(s.createTextMessage("n" + i));
            }
            assertThat(texts(s.createBrowser(queue))).containsExactlyElementsOf(sent);
            assertThat(texts(s.createBrowser(s.createQueue("browse.never-used")))).isEmpty();
        }
    }

    @Test
    void aBrowserWithASelectorShowsOnlyTheSelectedMessagesInOrder() throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("browse.selected");
            MessageProducer producer = s.createProducer(queue);
            for (int i = 0; i < 10; i++) {
                TextMessage m = s.createTextMessage("m" + i);
                m.setStringProperty("color", i % 3 == 0 ? "red" : "blue");
                producer.send(m);
            }
            QueueBrowser browser = s.createBrowser(queue, "color = 'red'");
            assertThat(browser.getMessageSelector()).isEqualTo("color = 'red'");
            assertThat(texts(browser)).containsExactly("m0", "m3", "m6", "m9");
            assertThat(broker.queueDepth("browse.selected")).as("browsing takes nothing").isEqualTo(10);
        }
    }

    @Test
    void anInvalidBrowserSelectorIsRefusedAtCreationSayingWhere() throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createBrowser(s.createQueue("q"), "color = "))
                    .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("position");
        }
    }
}
