package io.tunnelmq.jms.client;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MessageListener delivery, start/stop, and the JMS rules about calls from inside listeners. */
@Timeout(30)
class ListenerTest extends FakeBrokerTestSupport {

    @Test
    void listenersGetEveryMessageInOrderOnTheSessionThread() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        List<String> got = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(200);
        session.createConsumer(q).setMessageListener(m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            threads.add(Thread.currentThread().getName());
            all.countDown();
        });
        Session sender = c.createSession();
        String[] texts = new String[200];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "m" + i;
        }
        sendTexts(sender, q, texts);
        c.start();
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got).containsExactly(texts);
        assertThat(threads).allMatch(t -> t.startsWith("tunnelmq-session-")).noneMatch("fake-engine-loop"::equals);
        eventually("all completed", () -> broker.depth("q") == 0);
    }

    @Test
    void nothingIsDeliveredWhileStoppedAndStopWaitsForARunningListener() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> got = new CopyOnWriteArrayList<>();
        session.createConsumer(q).setMessageListener(m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sendTexts(c.createSession(), q, "first", "second");
        broker.sync();
        assertThat(got).isEmpty(); // created stopped
        c.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> stop = whileBlocked(() -> {
            c.stop();
            return null;
        });
        assertThat(stop).isNotDone();
        release.countDown();
        stop.get(5, TimeUnit.SECONDS);
        assertThat(got).containsExactly("first"); // stop returned: the second is held back
        c.start();
        eventually("the second is delivered after start", () -> got.size() == 2);
    }

    @Test
    void aListenerWithPrefetchZeroPullsEachMessage() throws Exception {
        Connection c = connect("tmq://localhost:9494?prefetch=0");
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        sendTexts(session, q, "a", "b", "c");
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        session.createConsumer(q).setMessageListener(m -> {
            try {
                got.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            all.countDown();
        });
        c.start();
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(got).containsExactly("a", "b", "c");
    }

    @Test
    void syncReceiveIsRefusedInASessionWithAListener() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        MessageConsumer async = session.createConsumer(session.createQueue("a"));
        MessageConsumer sync = session.createConsumer(session.createQueue("b"));
        async.setMessageListener(m -> { });
        assertThatThrownBy(() -> sync.receive(10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MessageListener");
        async.setMessageListener(null);
        assertThat(sync.receiveNoWait()).isNull();
    }

    @Test
    void aListenerMayCloseItsOwnConsumerButNotItsSessionOrConnection() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        MessageConsumer consumer = session.createConsumer(q);
        consumer.setMessageListener(m -> {
            StringBuilder sb = new StringBuilder();
            for (ThrowingRunnable call : List.<ThrowingRunnable>of(session::close, c::close, c::stop)) {
                try {
                    call.run();
                    sb.append("allowed;");
                } catch (IllegalStateException e) {
                    sb.append("refused;");
                } catch (Exception e) {
                    sb.append(e).append(';');
                }
            }
            try {
                consumer.close();
                sb.append("consumer closed");
            } catch (JMSException e) {
                sb.append(e);
            }
            outcome.complete(sb.toString());
        });
        sendTexts(session, q, "one", "two");
        c.start();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("refused;refused;refused;consumer closed");
        eventually("the unseen message is released back", () -> broker.depth("q") == 1);
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateException.class);
        Message left = c.createSession().createConsumer(q).receive(5_000);
        assertThat(((TextMessage) left).getText()).isEqualTo("two");
        assertThat(left.getJMSRedelivered()).isFalse();
    }

    @Test
    void closingAConsumerWaitsForItsRunningListener() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MessageConsumer consumer = session.createConsumer(q);
        consumer.setMessageListener(m -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sendTexts(session, q, "slow");
        c.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> close = whileBlocked(() -> {
            consumer.close();
            return null;
        });
        assertThat(close).isNotDone();
        release.countDown();
        close.get(5, TimeUnit.SECONDS);
        eventually("completed after onMessage returned", () -> broker.depth("q") == 0);
    }

    /** A call that may throw anything. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
