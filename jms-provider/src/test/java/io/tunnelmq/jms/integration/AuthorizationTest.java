package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PasswordFile;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broker with users and a permissions file: each permission allowed and denied at the earliest JMS call, with
 * wildcards, through anonymous producers, async sends and JMSContext.
 */
@Timeout(60)
class AuthorizationTest {
    static final String RULES = String.join("\n",
            "# who is who",
            "role.producers = alice",
            "role.consumers = bob",
            "role.admins = carol",
            "role.traders = dave",
            "queue.orders.>.send,create = producers",
            "queue.orders.>.consume,browse = consumers",
            "queue.alice.private.send,consume,browse,create = producers",
            "queue.DLQ.*.consume,create = admins",
            "topic.prices.*.send,create = producers",
            "topic.prices.*.consume = consumers, traders",
            "topic.prices.*.create = traders",
            "temporary.create,send = producers",
            "");

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;
    private static TunnelConnectionFactory factory;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path permissions = dir.resolve("permissions.properties");
        Files.writeString(permissions, RULES);
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withPermissionsFile(permissions), users());
        factory = new TunnelConnectionFactory(broker.url());
    }

    static PasswordFile users() {
        return new PasswordFile(Map.of("alice", "a", "bob", "b", "carol", "c", "dave", "d"), false);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Session session(String user) throws Exception {
        Connection connection = factory.createConnection(user, user.substring(0, 1));
        open.add(connection);
        connection.setClientID(user + "-" + open.size());
        connection.start();
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private JMSContext context(String user) {
        JMSContext context = factory.createContext(user, user.substring(0, 1));
        open.add(context);
        return context;
    }

    @Test
    void sendIsCheckedWhenTheProducerIsCreated() throws Exception {
        Session alice = session("alice");
        alice.createProducer(alice.createQueue("orders.eu")).send(alice.createTextMessage("1"));
        Session bob = session("bob");
        long denials = broker.management().counters().accessDenials();
        assertThatThrownBy(() -> bob.createProducer(bob.createQueue("orders.eu")))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not send to queue 'orders.eu' (permission send)");
        assertThat(broker.management().counters().accessDenials()).as("tunnelmq_access_denials_total")
                .isEqualTo(denials + 1);
    }

    @Test
    void consumeIsCheckedWhenTheConsumerIsCreated() throws Exception {
        Session alice = session("alice");
        alice.createProducer(alice.createQueue("alice.private")).send(alice.createTextMessage("mine"));
        Session bob = session("bob");
        assertThatThrownBy(() -> bob.createConsumer(bob.createQueue("alice.private")))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not consume from queue 'alice.private' (permission consume)");
        MessageConsumer mine = alice.createConsumer(alice.createQueue("alice.private"));
        assertThat(((TextMessage) mine.receive(5_000)).getText()).isEqualTo("mine");
    }

    @Test
    void browseIsCheckedWhenTheBrowserIsCreated() throws Exception {
        Session alice = session("alice");
        alice.createProducer(alice.createQueue("orders.browsed")).send(alice.createTextMessage("look"));
        Session bob = session("bob");
        assertThat(bob.createBrowser(bob.createQueue("orders.browsed")).getEnumeration().hasMoreElements()).isTrue();
        assertThatThrownBy(() -> alice.createBrowser(alice.createQueue("orders.browsed")))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'alice' may not browse queue 'orders.browsed' (permission browse)");
    }

    @Test
    void aDestinationThatDoesNotExistYetNeedsCreate() throws Exception {
        Session bob = session("bob");
        Queue fresh = bob.createQueue("orders.fresh");
        assertThatThrownBy(() -> bob.createConsumer(fresh)).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("queue 'orders.fresh' does not exist yet and user 'bob' may not create it"
                        + " (permission create)");
        Session alice = session("alice");
        alice.createProducer(alice.createQueue("orders.fresh")).send(alice.createTextMessage("now it exists"));
        assertThat(((TextMessage) bob.createConsumer(fresh).receive(5_000)).getText()).isEqualTo("now it exists");
    }

    @Test
    void temporaryDestinationsNeedCreateOnTemporary() throws Exception {
        Session alice = session("alice");
        Queue replies = alice.createTemporaryQueue();
        alice.createProducer(replies).send(alice.createTextMessage("to myself"));
        assertThat(alice.createConsumer(replies).receive(5_000)).isNotNull();
        alice.createTemporaryTopic();
        Session bob = session("bob");
        assertThatThrownBy(bob::createTemporaryQueue).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not create temporary queue")
                .hasMessageContaining("(permission create on temporary destinations)");
        assertThatThrownBy(bob::createTemporaryTopic).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> bob.createProducer(replies)).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("permission send on temporary destinations");
    }

    @Test
    void durableAndSharedSubscriptionsNeedCreate() throws Exception {
        Session dave = session("dave");
        Topic eur = dave.createTopic("prices.eur");
        MessageConsumer durable = dave.createDurableConsumer(eur, "dave-eur");
        durable.close();
        dave.unsubscribe("dave-eur");
        dave.createSharedConsumer(eur, "dave-shared");
        Session bob = session("bob");
        assertThatThrownBy(() -> bob.createDurableConsumer(bob.createTopic("prices.eur"), "bob-eur"))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not create durable subscription 'bob-eur' on topic 'prices.eur'"
                        + " (permission create)");
        assertThatThrownBy(() -> bob.createSharedConsumer(bob.createTopic("prices.eur"), "bob-shared"))
                .isInstanceOf(JMSSecurityException.class).hasMessageContaining("shared subscription 'bob-shared'");
        // an ordinary subscriber of a topic that exists needs consume only
        MessageConsumer plain = bob.createConsumer(bob.createTopic("prices.eur"));
        Session alice = session("alice");
        alice.createProducer(alice.createTopic("prices.eur")).send(alice.createTextMessage("1.08"));
        assertThat(((TextMessage) plain.receive(5_000)).getText()).isEqualTo("1.08");
    }

    @Test
    void unsubscribeNeedsCreateOnTheSubscriptionsTopic() throws Exception {
        Connection daves = factory.createConnection("dave", "d");
        daves.setClientID("desk");
        Session dave = daves.createSession(false, Session.AUTO_ACKNOWLEDGE);
        dave.createDurableConsumer(dave.createTopic("prices.usd"), "desk-usd").close();
        daves.close();
        Connection bobs = factory.createConnection("bob", "b");
        open.add(bobs);
        bobs.setClientID("desk"); // the same client ID, another user: bob may consume prices but not create there
        Session bob = bobs.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> bob.unsubscribe("desk-usd")).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not unsubscribe durable subscription 'desk-usd' on topic"
                        + " 'prices.usd' (permission create)");
        bobs.close();
        Connection again = factory.createConnection("dave", "d");
        open.add(again);
        again.setClientID("desk");
        again.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe("desk-usd");
    }

    @Test
    void replacingADurableSubscriptionOfAnotherTopicNeedsCreateOnThatTopic() throws Exception {
        Connection daves = factory.createConnection("dave", "d");
        daves.setClientID("desk-2");
        Session dave = daves.createSession(false, Session.AUTO_ACKNOWLEDGE);
        dave.createDurableConsumer(dave.createTopic("prices.usd"), "desk-usd").close();
        daves.close();

        // the same client ID, another user, another topic: the broker would end dave's subscription and its messages
        Connection bobs = factory.createConnection("bob", "b");
        bobs.setClientID("desk-2");
        Session bob = bobs.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> bob.createDurableConsumer(bob.createTopic("prices.eur"), "desk-usd"))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not unsubscribe durable subscription 'desk-usd' on topic"
                        + " 'prices.usd' (permission create)");
        bobs.close();

        Session alice = session("alice");
        alice.createProducer(alice.createTopic("prices.usd")).send(alice.createTextMessage("1.09"));
        Connection again = factory.createConnection("dave", "d");
        open.add(again);
        again.setClientID("desk-2");
        again.start();
        Session daveAgain = again.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer kept = daveAgain.createDurableConsumer(daveAgain.createTopic("prices.usd"), "desk-usd");
        assertThat(((TextMessage) kept.receive(5_000)).getText()).as("dave's subscription kept its message")
                .isEqualTo("1.09");
        kept.close();
        daveAgain.unsubscribe("desk-usd");
    }

    @Test
    void wildcardsMatchOneSegmentOrTheRest() throws Exception {
        Session alice = session("alice");
        alice.createProducer(alice.createQueue("orders.eu.big")).send(alice.createTextMessage("> matches deeper"));
        assertThatThrownBy(() -> alice.createProducer(alice.createQueue("orders")))
                .isInstanceOf(JMSSecurityException.class).hasMessageContaining("queue 'orders'");
        assertThatThrownBy(() -> alice.createProducer(alice.createQueue("alice.private.more")))
                .isInstanceOf(JMSSecurityException.class); // an exact name matches only itself
        Session carol = session("carol");
        carol.createConsumer(carol.createQueue("DLQ.orders")).close(); // * matches one segment
        assertThatThrownBy(() -> carol.createConsumer(carol.createQueue("DLQ.orders.eu")))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'carol' may not consume from queue 'DLQ.orders.eu'");
    }

    @Test
    void aDeadLetterQueueIsAnOrdinaryDestination() throws Exception {
        Session bob = session("bob");
        assertThatThrownBy(() -> bob.createProducer(bob.createQueue("DLQ.alice.private")))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not send to queue 'DLQ.alice.private' (permission send)");
    }

    @Test
    void anAnonymousProducersSendIsRefusedByTheBroker() throws Exception {
        Session bob = session("bob");
        MessageProducer anonymous = bob.createProducer(null);
        assertThatThrownBy(() -> anonymous.send(bob.createQueue("alice.private"), bob.createTextMessage("sneak")))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not send to queue 'alice.private' (permission send)");
        Session alice = session("alice");
        MessageConsumer consumer = alice.createConsumer(alice.createQueue("alice.private"));
        assertThat(consumer.receiveNoWait()).as("nothing of bob's arrived").isNull();
    }

    @Test
    void aNonPersistentSendsDenialIsReportedByTheSessionsNextSend() throws Exception {
        Session alice = session("alice");
        MessageProducer anonymous = alice.createProducer(null);
        anonymous.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        anonymous.send(alice.createQueue("DLQ.alice.private"), alice.createTextMessage("not mine to send"));
        Queue allowed = alice.createQueue("orders.after");
        JMSSecurityException[] reported = new JMSSecurityException[1];
        eventually("a later send reports the denial", Duration.ofSeconds(10), () -> {
            try {
                anonymous.send(allowed, alice.createTextMessage("allowed"));
                return false;
            } catch (JMSSecurityException e) {
                reported[0] = e;
                return true;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(reported[0]).hasMessageContaining("an earlier non-persistent send of this session")
                .hasMessageContaining("user 'alice' may not send to queue 'DLQ.alice.private' (permission send)");
        anonymous.send(allowed, alice.createTextMessage("reported once: sends go on"));
    }

    @Test
    void anAsyncSendsDenialGoesToItsCompletionListener() throws Exception {
        Session bob = session("bob");
        MessageProducer anonymous = bob.createProducer(null);
        anonymous.setDeliveryMode(DeliveryMode.PERSISTENT);
        CompletableFuture<Exception> failure = new CompletableFuture<>();
        anonymous.send(bob.createQueue("alice.private"), bob.createTextMessage("async"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                failure.complete(null);
            }

            @Override
            public void onException(Message message, Exception exception) {
                failure.complete(exception);
            }
        });
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'bob' may not send to queue 'alice.private'");
    }

    @Test
    void jmsContextDenialsAreRuntimeExceptions() {
        JMSContext bob = context("bob");
        assertThatThrownBy(() -> bob.createProducer().send(bob.createQueue("alice.private"), "x"))
                .isInstanceOf(JMSSecurityRuntimeException.class)
                .hasMessageContaining("user 'bob' may not send to queue 'alice.private' (permission send)");
        assertThatThrownBy(() -> bob.createConsumer(bob.createQueue("alice.private")))
                .isInstanceOf(JMSSecurityRuntimeException.class).hasMessageContaining("(permission consume)");
        assertThatThrownBy(() -> bob.createBrowser(bob.createQueue("alice.private")))
                .isInstanceOf(JMSSecurityRuntimeException.class).hasMessageContaining("(permission browse)");
        assertThatThrownBy(bob::createTemporaryQueue).isInstanceOf(JMSSecurityRuntimeException.class);
    }
}
