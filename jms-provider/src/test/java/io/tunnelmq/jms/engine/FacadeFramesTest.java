package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.EngineFactories;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Revoke;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real JMS facade over the real engine against a scripted broker: the frames the application's calls cost
 * (TAKEN notices, WAITING after giving messages back, SET credit on stop and start).
 */
@Timeout(30)
class FacadeFramesTest {
    private FakeBroker broker;
    private final List<Frame> seen = new CopyOnWriteArrayList<>();
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        broker.script(in -> {
            seen.add(in);
            return broker.defaultAnswer(in);
        });
        connection = EngineFactories.connectionFactory(broker.connectionOptions(""), Engines.netty()).createConnection();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private CreateConsumer consumerOn() throws Exception {
        return broker.await(CreateConsumer.class);
    }

    private void deliver(CreateConsumer to, long... tokens) {
        for (long token : tokens) {
            broker.send(new Deliver(to.channel(), to.consumerId(), token, 1, System.currentTimeMillis() + 60_000,
                    message("q", 10)));
        }
    }

    /** The next Settle the broker gets, skipping other frames. */
    private Settle nextSettle() throws Exception {
        return broker.await(Settle.class);
    }

    @Test
    void anAutoAcknowledgeReceiveCostsNoExtraFrame() throws Exception {
        int count = 50;
        connection.start();
        Session auto = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = auto.createConsumer(auto.createQueue("q"));
        CreateConsumer create = consumerOn();
        for (long token = 1; token <= count; token++) {
            deliver(create, token);
        }
        for (int i = 0; i < count; i++) {
            assertThat(consumer.receive(5000)).isNotNull();
        }
        consumer.close(); // ordered after the completions: all of them are on the wire once it returns

        List<Settle> settles = seen.stream().filter(f -> f instanceof Settle).map(f -> (Settle) f).toList();
        assertThat(settles).allSatisfy(s -> assertThat(s.outcome()).isEqualTo(SettleOutcome.COMPLETE));
        assertThat(settles.stream().mapToInt(s -> s.lockTokens().length).sum()).isEqualTo(count);
        assertThat(settles.size()).as("one Settle per message at most").isLessThanOrEqualTo(count);
    }

    @Test
    void aClientAcknowledgeReceiveNoticesTheMessage() throws Exception {
        connection.start();
        Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = client.createConsumer(client.createQueue("q"));
        deliver(consumerOn(), 41);
        Message m = consumer.receive(5000);
        assertThat(m).isNotNull();
        Settle taken = nextSettle();
        assertThat(taken.outcome()).isEqualTo(SettleOutcome.TAKEN);
        assertThat(taken.lockTokens()).containsExactly(41);
        m.acknowledge();
        assertThat(nextSettle().outcome()).isEqualTo(SettleOutcome.COMPLETE);
    }

    @Test
    void aReceiveAfterARevocationReleasedMessagesSaysWaitingWithTheCreditOwed() throws Exception {
        connection.start();
        Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = client.createConsumer(client.createQueue("q"));
        CreateConsumer create = consumerOn();
        deliver(create, 1, 2);
        assertThat(consumer.receive(5000)).isNotNull();
        assertThat(nextSettle().outcome()).isEqualTo(SettleOutcome.TAKEN);

        broker.send(new Revoke(create.channel(), create.consumerId(), new long[] {1, 2}));
        Settle release = nextSettle();
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.lockTokens()).as("1 was handed out: kept").containsExactly(2);

        assertThat(consumer.receive(300)).isNull();
        Credit waiting = broker.await(Credit.class);
        assertThat(waiting.isWaiting()).isTrue();
        assertThat(waiting.messages()).as("the taken message's and the released message's credit").isEqualTo(2);
        assertThat(seen.stream().filter(f -> f instanceof Credit)).as("once").hasSize(1);
    }

    @Test
    void anIdleListenerAfterARevocationSaysWaiting() throws Exception {
        Session auto = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = auto.createConsumer(auto.createQueue("q"));
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        consumer.setMessageListener(m -> {
            inListener.countDown();
            try {
                letGo.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        connection.start();
        CreateConsumer create = consumerOn();
        assertThat(broker.await(Credit.class).isSet()).as("the start credit").isTrue();
        deliver(create, 1, 2);
        assertThat(inListener.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(nextSettle().outcome()).isEqualTo(SettleOutcome.TAKEN);

        broker.send(new Revoke(create.channel(), create.consumerId(), new long[] {1, 2}));
        assertThat(nextSettle().lockTokens()).containsExactly(2);
        letGo.countDown();

        Credit waiting = broker.await(Credit.class);
        assertThat(waiting.isWaiting()).isTrue();
    }

    @Test
    void stopSetsCreditZeroThenReleasesTheBufferAndStartSetsThePrefetch() throws Exception {
        connection.start();
        Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = client.createConsumer(client.createQueue("q"));
        CreateConsumer create = consumerOn();
        deliver(create, 1, 2);
        assertThat(consumer.receive(5000)).isNotNull();
        assertThat(nextSettle().outcome()).isEqualTo(SettleOutcome.TAKEN);

        connection.stop();
        Credit zero = broker.await(Credit.class);
        assertThat(zero.isSet()).isTrue();
        assertThat(zero.messages()).isZero();
        Settle release = nextSettle();
        assertThat(release.outcome()).isEqualTo(SettleOutcome.RELEASE);
        assertThat(release.requestId()).as("answered before stop() returns").isPositive();
        List<Long> released = new ArrayList<>();
        Arrays.stream(release.lockTokens()).forEach(released::add);
        while (!released.contains(2L)) { // message 2 may reach the client only after stop(): released as it comes
            Settle late = nextSettle();
            assertThat(late.outcome()).isEqualTo(SettleOutcome.RELEASE);
            Arrays.stream(late.lockTokens()).forEach(released::add);
        }
        assertThat(released).as("only what the application never saw").containsExactly(2L);

        CompletableFuture<Message> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive(5000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        connection.start();
        Credit set = broker.await(Credit.class);
        assertThat(set.isSet()).isTrue();
        assertThat(set.messages()).isEqualTo(create.credit());
        assertThat(set.bytes()).isEqualTo(create.creditBytes());
        deliver(create, 3);
        assertThat(blocked.get(5, TimeUnit.SECONDS)).as("the waiting receive gets it after start").isNotNull();
    }
}
