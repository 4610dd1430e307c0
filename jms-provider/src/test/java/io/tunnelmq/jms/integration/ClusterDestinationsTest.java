package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.Eventually;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 18: topics, temporary queues and browsing across the brokers of a cluster, through the real client. */
@Timeout(60)
class ClusterDestinationsTest {
    private static final long PATIENCE_MILLIS = 10_000;

    @TempDir
    Path data;

    private BrokerCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Connection connect(int broker, String clientId) throws JMSException {
        return cluster.connect(cluster.url(broker), clientId);
    }

    private void publish(int broker, String topic, String body) throws JMSException {
        Session s = connect(broker, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createTopic(topic)).send(s.createTextMessage(body));
    }

    private String resume(int broker, String topic) throws JMSException {
        Connection again = connect(broker, "reader");
        Session s = again.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer subscriber = s.createDurableSubscriber(s.createTopic(topic), "daily");
        Message m = subscriber.receive(PATIENCE_MILLIS);
        return m == null ? null : ((TextMessage) m).getText();
    }

    private void subscribeAndLeave(int broker, String topic) throws JMSException {
        Connection reader = connect(broker, "reader");
        Session s = reader.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic(topic);
        s.createDurableSubscriber(t, "daily").close();
        reader.close();
    }

    @Test
    void anActiveSubscriberOnOneBrokerGetsWhatIsPublishedThroughTheOther() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session s = connect(1, "reader").createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer durable = s.createDurableSubscriber(s.createTopic("cluster.news"), "daily");
        MessageConsumer plain = s.createConsumer(s.createTopic("cluster.news"));
        publish(0, "cluster.news", "n1");
        assertThat(((TextMessage) durable.receive(PATIENCE_MILLIS)).getText()).isEqualTo("n1");
        assertThat(((TextMessage) plain.receive(PATIENCE_MILLIS)).getText()).isEqualTo("n1");
    }

    @Test
    void aDurableSubscriptionMadeOnOneBrokerKeepsWhatIsPublishedThroughItWhileInactive() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        subscribeAndLeave(1, "cluster.same");
        publish(1, "cluster.same", "kept");
        assertThat(resume(0, "cluster.same")).as("resumed through the other broker").isEqualTo("kept");
    }

    @Test
    void aDurableSubscriptionMadeOnOneBrokerKeepsWhatTheOtherPublishesWhileInactive() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        subscribeAndLeave(1, "cluster.other");
        publish(0, "cluster.other", "kept");
        assertThat(resume(1, "cluster.other")).as("resumed through the broker it was made on").isEqualTo("kept");
    }

    @Test
    void aDurableSubscriptionMadeOnOneBrokerAndResumedOnTheOtherKeepsWhatThatOtherPublished() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        subscribeAndLeave(1, "cluster.joram");
        publish(0, "cluster.joram", "kept");
        assertThat(resume(0, "cluster.joram")).as("Joram's testDurableSubscriber on a cluster").isEqualTo("kept");
    }

    @Test
    void aTemporaryQueueMadeThroughOneBrokerTakesRepliesSentThroughTheOther() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session requester = connect(0, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = requester.createTemporaryQueue();
        Session responder = connect(1, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue requests = responder.createQueue("cluster.requests");
        MessageConsumer serving = responder.createConsumer(requests);
        Message request = requester.createTextMessage("ping");
        request.setJMSReplyTo(replies);
        requester.createProducer(requests).send(request);

        Message got = serving.receive(PATIENCE_MILLIS);
        assertThat(got).as("the request, through the other broker").isNotNull();
        responder.createProducer(got.getJMSReplyTo()).send(responder.createTextMessage("pong"));
        Message reply = requester.createConsumer(replies).receive(PATIENCE_MILLIS);
        assertThat(reply).as("the reply, sent through the broker that does not own the temporary queue").isNotNull();
        assertThat(((TextMessage) reply).getText()).isEqualTo("pong");
    }

    @Test
    void aQueueIsBrowsedThroughABrokerThatHoldsNoneOfItsMessages() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session sending = connect(0, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = sending.createQueue("cluster.browsed");
        MessageProducer producer = sending.createProducer(queue);
        for (int i = 0; i < 3; i++) {
            TextMessage m = sending.createTextMessage("b" + i);
            m.setIntProperty("n", i);
            producer.send(m);
        }
        Session browsing = connect(1, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(browse(browsing.createBrowser(queue))).containsExactly("b0", "b1", "b2");
        assertThat(browse(browsing.createBrowser(queue, "n > 0"))).containsExactly("b1", "b2");
        assertThat(cluster.stored("cluster.browsed")).as("browsing takes nothing").isEqualTo(3);
    }

    @Test
    void sharedConsumersOnTwoBrokersShareOneSubscription() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        List<String> got = new CopyOnWriteArrayList<>();
        Session[] sessions = new Session[2];
        MessageConsumer[] consumers = new MessageConsumer[2];
        for (int i = 0; i < 2; i++) {
            Connection connection = connect(i, null);
            sessions[i] = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            consumers[i] = sessions[i].createSharedConsumer(sessions[i].createTopic("cluster.work"), "workers");
            consumers[i].setMessageListener(m -> got.add(text(m)));
            connection.start();
        }
        for (int i = 0; i < 20; i++) {
            publish(i % 2, "cluster.work", "w" + i);
        }
        Eventually.eventually("20 messages received", Duration.ofSeconds(20), () -> got.size() >= 20);
        assertThat(got).as("one subscription: each message once, whichever broker").doesNotHaveDuplicates()
                .hasSize(20);

        consumers[0].close();
        consumers[1].close(); // the last one out: it ends, and what is published now is kept for nobody
        publish(0, "cluster.work", "unheard");
        MessageConsumer again = sessions[1].createSharedConsumer(sessions[1].createTopic("cluster.work"), "workers",
                "JMSPriority > 0");
        publish(0, "cluster.work", "heard");
        assertThat(text(again.receive(PATIENCE_MILLIS))).isEqualTo("heard");
        assertThatThrownBy(() -> sessions[0].createSharedConsumer(sessions[0].createTopic("cluster.work"), "workers"))
                .as("in use through the other broker with a selector").isInstanceOf(JMSException.class)
                .hasMessageContaining("through another broker");
    }

    @Test
    void aSharedDurableSubscriptionConsumedThroughOneBrokerIsNeitherChangedNorUnsubscribedThroughTheOther()
            throws Exception {
        cluster = BrokerCluster.start(data, 2);
        Session onA = connect(0, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic audit = onA.createTopic("cluster.audit");
        MessageConsumer consumer = onA.createSharedDurableConsumer(audit, "audit");
        Eventually.eventually("the other broker learned of it", Duration.ofSeconds(20),
                () -> knowsAudit(1));
        Session onB = connect(1, null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> onB.createSharedDurableConsumer(audit, "audit", "JMSPriority > 4"))
                .isInstanceOf(JMSException.class).hasMessageContaining("in use through another broker");
        assertThatThrownBy(() -> onB.unsubscribe("audit")).isInstanceOf(jakarta.jms.IllegalStateException.class)
                .hasMessageContaining("active consumers through another broker");
        publish(1, "cluster.audit", "still fed");
        assertThat(text(consumer.receive(PATIENCE_MILLIS))).isEqualTo("still fed");
        consumer.close(); // returns once the other brokers may unsubscribe it
        onB.unsubscribe("audit");
        assertThat(knowsAudit(1)).isFalse();
        Eventually.eventually("the first broker forgot it too", Duration.ofSeconds(20), () -> !knowsAudit(0));
    }

    @Test
    void replicasStartingAtOnceThroughTwoBrokersShareTheDurableSubscriptionsTheyMake() throws Exception {
        cluster = BrokerCluster.start(data, 2);
        List<String> got = new CopyOnWriteArrayList<>();
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Connection connection = connect(i, null);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic topic = session.createTopic("cluster.replicas");
                connection.start();
                started.add(replicas.submit(() -> {
                    start.await(10, TimeUnit.SECONDS); // both make "r0", "r1", ... at the same moment
                    for (int n = 0; n < 10; n++) {
                        String name = "r" + n;
                        session.createSharedDurableConsumer(topic, name).setMessageListener(m -> got.add(name));
                    }
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get(30, TimeUnit.SECONDS); // no consumer refused
            }
        } finally {
            replicas.shutdownNow();
        }
        publish(0, "cluster.replicas", "hello");
        Eventually.eventually("each subscription got it", Duration.ofSeconds(20), () -> got.size() >= 10);
        assertThat(got).as("one subscription per name, shared by both replicas").doesNotHaveDuplicates().hasSize(10);
    }

    /** Whether broker {@code i} lists the subscription "audit" of topic cluster.audit (for operators). */
    private boolean knowsAudit(int i) {
        return cluster.broker(i).management().destinations().stream()
                .anyMatch(d -> d.name().startsWith("cluster.audit:") && d.name().endsWith("audit"));
    }

    private static String text(Message m) {
        try {
            return ((TextMessage) m).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> browse(QueueBrowser browser) throws JMSException {
        List<String> bodies = new ArrayList<>();
        Enumeration<?> e = browser.getEnumeration();
        while (e.hasMoreElements()) {
            bodies.add(((TextMessage) e.nextElement()).getText());
        }
        browser.close();
        return bodies;
    }
}
