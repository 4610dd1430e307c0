package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.LockedMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.integration.BrokerClients.described;
import static io.tunnelmq.jms.integration.BrokerClients.receivePromptly;
import static io.tunnelmq.jms.integration.BrokerClients.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, cases 1, 3 and 5 and the close rule, through the real client and broker with default settings
 * (prefetch 300) unless a test says otherwise: a consumer blocked in receive gets a message that is available or sits
 * unseen in another consumer's buffer within 100 ms; a message released unseen (close, stop, expiry in a buffer)
 * keeps delivery count 1 and JMSRedelivered=false; one an application was handed comes back with both raised.
 * Delivery counts under churn (case 2) are in {@link PeekLockPromiseChurnTest}, the crash (case 4) in
 * {@link PeekLockPromiseCrashTest}, acknowledge with a lost lock in {@link PeekLockPromiseAcknowledgeTest}.
 */
@Timeout(60)
class PeekLockPromiseTest {
    /** A short lock that the client never renews; long enough that a receive surely happens well before it ends. */
    static final String SHORT_LOCK = "lockDuration=1000&maxLockRenewal=0";

    private BrokerClients clients;

    @BeforeEach
    void start() {
        clients = BrokerClients.start();
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    // ---- case 1: a competing consumer gets the next message at once ----

    @Test
    void aCompetitorGetsTheMessageInTheHoldersBufferAtOnce() throws Exception {
        competitorGetsTheBufferedMessage("", false);
    }

    @Test
    void aCompetitorGetsTheMessageInTheHoldersBufferAtOnceWithPrefetchOne() throws Exception {
        competitorGetsTheBufferedMessage("prefetch=1", false);
    }

    @Test
    void aCompetitorGetsTheMessageInTheBufferOfATransactedHolderAtOnce() throws Exception {
        competitorGetsTheBufferedMessage("", true);
    }

    private void competitorGetsTheBufferedMessage(String options, boolean transactedHolder) throws Exception {
        String queue = "promise.compete";
        Session holder = clients.connect(options).createSession(transactedHolder,
                transactedHolder ? Session.SESSION_TRANSACTED : Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer a = holder.createConsumer(holder.createQueue(queue));
        clients.send(queue, "m0", "m1");
        assertThat(text(a.receive(5_000))).isEqualTo("m0");
        // the situation of the issue: m0 in the application's hands, m1 unseen in A's buffer
        eventually("m1 is delivered into A's buffer", Duration.ofSeconds(5),
                () -> clients.stats(queue).locked() == 2);

        Session other = clients.connect(options).createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message m1 = receivePromptly(other.createConsumer(other.createQueue(queue)), "competitor B");
        assertThat(described(m1)).as("released unseen: count and flag unchanged").isEqualTo("m1/1/false");
    }

    @Test
    void aCompetingListenerGetsTheMessageInTheHoldersBufferAtOnce() throws Exception {
        String queue = "promise.listener";
        Session holder = clients.connect("").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer a = holder.createConsumer(holder.createQueue(queue));
        clients.send(queue, "m0", "m1");
        assertThat(text(a.receive(5_000))).isEqualTo("m0");
        eventually("m1 is delivered into A's buffer", Duration.ofSeconds(5),
                () -> clients.stats(queue).locked() == 2);

        Session other = clients.connect("").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer b = other.createConsumer(other.createQueue(queue));
        CompletableFuture<String> seen = new CompletableFuture<>();
        long start = System.nanoTime();
        b.setMessageListener(m -> {
            try {
                seen.complete(described(m));
            } catch (JMSException e) {
                seen.completeExceptionally(e);
            }
        });
        String m1;
        try {
            m1 = seen.get(BrokerClients.RECEIVE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the competing listener got no message within " + BrokerClients.RECEIVE_MILLIS
                    + " ms although m1 sat unseen in A's buffer", e);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(m1).isEqualTo("m1/1/false");
        assertThat(waited).as("the listener waited %d ms (promise: 100 ms)", waited)
                .isLessThan(BrokerClients.PROMPT_MILLIS);
    }

    @Test
    void aCompetitorOnASharedSubscriptionGetsTheMessageInTheHoldersBufferAtOnce() throws Exception {
        Session holder = clients.connect("").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic topic = holder.createTopic("promise.topic");
        MessageConsumer a = holder.createSharedConsumer(topic, "shared");
        Session publisher = clients.connect("").createSession(false, Session.AUTO_ACKNOWLEDGE);
        publisher.createProducer(topic).send(publisher.createTextMessage("m0"));
        publisher.createProducer(topic).send(publisher.createTextMessage("m1"));
        // the subscription queue has no name a test can ask the broker about; m1 reaches A's 100-message buffer with
        // m0 (were it not there yet, B would get it from the queue: the test could pass, but never fail wrongly)
        assertThat(text(a.receive(5_000))).isEqualTo("m0");

        Session other = clients.connect("").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message m1 = receivePromptly(other.createSharedConsumer(other.createTopic("promise.topic"), "shared"),
                "competitor B on the shared subscription");
        assertThat(described(m1)).isEqualTo("m1/1/false");
    }

    // ---- case 3: a buffered message whose lock expired is released, not redelivered into the same buffer ----

    @Test
    void aBufferedMessageWhoseLockExpiredReachesACompetitorWithItsCountUnchanged() throws Exception {
        String queue = "promise.expired";
        Session holder = clients.connect(SHORT_LOCK).createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer a = holder.createConsumer(holder.createQueue(queue));
        clients.send(queue, "m0", "m1");
        eventually("m0 and m1 are delivered into A's buffer", Duration.ofSeconds(5),
                () -> clients.stats(queue).locked() == 2);
        Message m0 = a.receive(5_000);
        assertThat(text(m0)).isEqualTo("m0");
        long lockedUntil = ((LockedMessage) m0).getLockedUntil();
        assertThat(System.currentTimeMillis()).as("setup: A took m0 well before its lock ends (machine too slow?)")
                .isLessThan(lockedUntil - 300);

        // both locks run out: m0 in the application's hands, m1 unseen in A's buffer; the broker then holds neither
        // (or, if the product redelivers them instead, the broker has delivered one of them again)
        eventually("both locks expired", Duration.ofSeconds(10), () -> System.currentTimeMillis() > lockedUntil + 200
                && (clients.stats(queue).locked() < 2 || clients.stats(queue).delivered() > 2));

        Session other = clients.connect("").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer b = other.createConsumer(other.createQueue(queue));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Message m = receivePromptly(b, "competitor B");
            got.add(described(m));
            m.acknowledge();
        }
        assertThat(got).as("m0 was seen by A: redelivered; m1 never was: as new")
                .containsExactlyInAnyOrder("m0/2/true", "m1/1/false");
        assertThat(a.receive(300)).as("A's stale buffered m1 is not handed out").isNull();
        assertThat(clients.broker.queueDepth(queue)).isZero();
    }

    // ---- case 5: Connection.stop() returns buffered messages; start() asks again ----

    @Test
    void stopReturnsTheBufferedMessagesUnseenAndStartAsksAgain() throws Exception {
        String queue = "promise.stop";
        Connection connectionA = clients.connect("");
        Session sessionA = connectionA.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer a = sessionA.createConsumer(sessionA.createQueue(queue));
        clients.send(queue, "m0", "m1", "m2", "m3", "m4");
        eventually("the five messages are delivered into A's buffer", Duration.ofSeconds(5),
                () -> clients.stats(queue).locked() == 5);

        connectionA.stop();
        eventually("A's stopped connection gave its buffered messages back", Duration.ofSeconds(5),
                () -> clients.stats(queue).locked() == 0 && clients.stats(queue).available() == 5);

        Connection connectionB = clients.connect("");
        Session sessionB = connectionB.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer b = sessionB.createConsumer(sessionB.createQueue(queue));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(described(receivePromptly(b, "B while A is stopped")));
        }
        assertThat(got).containsExactly("m0/1/false", "m1/1/false", "m2/1/false", "m3/1/false", "m4/1/false");
        b.close();

        connectionA.start();
        clients.send(queue, "m5");
        assertThat(described(receivePromptly(a, "A after start()"))).isEqualTo("m5/1/false");
        assertThat(a.receive(300)).as("nothing B already consumed comes back to A from its old buffer").isNull();
        assertThat(clients.broker.queueDepth(queue)).isZero();
    }

    // ---- close: buffered unseen messages keep their count, received unacknowledged ones are raised ----

    enum Closing { CONSUMER, SESSION, CONNECTION }

    @ParameterizedTest
    @EnumSource(Closing.class)
    void closingReleasesBufferedMessagesUnseenAndAbandonsTheReceivedOnes(Closing closing) throws Exception {
        String queue = "promise.close." + closing;
        Connection connectionA = clients.connect("");
        Session sessionA = connectionA.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer a = sessionA.createConsumer(sessionA.createQueue(queue));
        clients.send(queue, "m0", "m1", "m2", "m3");
        eventually("the four messages are delivered into A's buffer", Duration.ofSeconds(5),
                () -> clients.stats(queue).locked() == 4);
        assertThat(text(a.receive(5_000))).isEqualTo("m0");
        assertThat(text(a.receive(5_000))).isEqualTo("m1");

        Session sessionB = clients.connect("").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        List<String> got = new ArrayList<>();
        switch (closing) {
            case CONSUMER -> {
                a.close();
                // m0 and m1 stay with the session (they may still be acknowledged); the buffered ones come free
                MessageConsumer b = sessionB.createConsumer(sessionB.createQueue(queue));
                got.add(described(receivePromptly(b, "B after A's consumer closed")));
                got.add(described(receivePromptly(b, "B after A's consumer closed")));
                assertThat(got).containsExactly("m2/1/false", "m3/1/false");
                assertThat(b.receive(300)).as("m0 and m1 are still locked to A's session").isNull();
                sessionA.close();
                got.add(described(receivePromptly(b, "B after A's session closed")));
                got.add(described(receivePromptly(b, "B after A's session closed")));
            }
            case SESSION, CONNECTION -> {
                if (closing == Closing.SESSION) {
                    sessionA.close();
                } else {
                    connectionA.close();
                }
                MessageConsumer b = sessionB.createConsumer(sessionB.createQueue(queue));
                for (int i = 0; i < 4; i++) {
                    got.add(described(receivePromptly(b, "B after A's " + closing + " closed")));
                }
            }
        }
        assertThat(got).as("received by A: redelivered; only buffered: as new")
                .containsExactlyInAnyOrder("m0/2/true", "m1/2/true", "m2/1/false", "m3/1/false");
    }
}
