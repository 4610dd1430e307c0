package io.tunnelmq.jms.client;

import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
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
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JMS 2.0 asynchronous send: completion order, errors, and what callbacks may not do. */
@Timeout(30)
class CompletionListenerTest extends FakeBrokerTestSupport {

    /** Records completions as "ok text" or "failed text: exception class". */
    static final class Recorder implements CompletionListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch latch;
        final Consumer<Message> onCompletion;

        Recorder(int expected, Consumer<Message> onCompletion) {
            this.latch = new CountDownLatch(expected);
            this.onCompletion = onCompletion;
        }

        @Override
        public void onCompletion(Message message) {
            threads.add(Thread.currentThread().getName());
            events.add("ok " + text(message));
            onCompletion.accept(message);
            latch.countDown();
        }

        @Override
        public void onException(Message message, Exception exception) {
            events.add("failed " + text(message) + ": " + exception.getClass().getSimpleName());
            latch.countDown();
        }

        private static String text(Message m) {
            try {
                return ((TextMessage) m).getText();
            } catch (JMSException e) {
                return e.toString();
            }
        }
    }

    @Test
    void completionsArriveInSendOrderOnTheSessionThread() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        MessageProducer p = session.createProducer(session.createQueue("q"));
        Recorder recorder = new Recorder(20, m -> { });
        broker.holdConfirmations();
        for (int i = 0; i < 20; i++) {
            TextMessage m = session.createTextMessage("m" + i);
            p.send(m, recorder);
            assertThat(m.getJMSMessageID()).isNotNull(); // headers are set before send returns
        }
        broker.sync();
        assertThat(recorder.events).isEmpty();
        broker.releaseConfirmations();
        assertThat(recorder.latch.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(recorder.events.get(i)).isEqualTo("ok m" + i);
        }
        assertThat(recorder.threads).allMatch(t -> t.startsWith("tunnelmq-session-"));
    }

    @Test
    void aFailedSendGoesToOnException() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        MessageProducer p = session.createProducer(session.createQueue("q"));
        Recorder recorder = new Recorder(2, m -> { });
        broker.failNext("send", ErrorCode.NOT_AUTHORIZED);
        p.send(session.createTextMessage("refused"), recorder);
        p.send(session.createTextMessage("accepted"), recorder);
        assertThat(recorder.latch.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.events).containsExactly("failed refused: JMSSecurityException", "ok accepted");
    }

    @Test
    void closeWaitsForOutstandingCompletions() throws Exception {
        Connection c = connect();
        Session session = c.createSession();
        MessageProducer p = session.createProducer(session.createQueue("q"));
        Recorder recorder = new Recorder(3, m -> { });
        broker.holdConfirmations();
        for (int i = 0; i < 3; i++) {
            p.send(session.createTextMessage("m" + i), recorder);
        }
        CompletableFuture<Object> closing = whileBlocked(() -> {
            p.close();
            return null;
        });
        assertThat(closing).isNotDone();
        broker.releaseConfirmations();
        closing.get(5, TimeUnit.SECONDS);
        assertThat(recorder.events).hasSize(3); // every callback returned before close did
    }

    @Test
    void callbacksMayNotCloseTheirProducerOrCommitOrCloseTheSessionOrConnectionButMayStopIt() throws Exception {
        Connection c = connect();
        Session tx = c.createSession(Session.SESSION_TRANSACTED);
        MessageProducer p = tx.createProducer(tx.createQueue("q"));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Recorder recorder = new Recorder(1, m -> {
            StringBuilder sb = new StringBuilder();
            for (ListenerTest.ThrowingRunnable call : List.<ListenerTest.ThrowingRunnable>of(p::close, tx::commit,
                    tx::rollback, tx::close, c::close, c::stop)) {
                try {
                    call.run();
                    sb.append("allowed;");
                } catch (IllegalStateException e) {
                    sb.append("refused;");
                } catch (Exception e) {
                    sb.append(e).append(';');
                }
            }
            outcome.complete(sb.toString());
        });
        p.send(tx.createTextMessage("x"), recorder);
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("refused;refused;refused;refused;refused;allowed;");
        tx.commit(); // waits for the callback, then commits
        assertThat(broker.depth("q")).isEqualTo(1);
    }

    @Test
    void aNullCompletionListenerIsRejected() throws JMSException {
        Connection c = connect();
        Session session = c.createSession();
        Queue q = session.createQueue("q");
        MessageProducer p = session.createProducer(q);
        assertThatThrownBy(() -> p.send(session.createMessage(), (CompletionListener) null))
                .isInstanceOf(IllegalArgumentException.class);
        MessageProducer anonymous = session.createProducer(null);
        assertThatThrownBy(() -> anonymous.send(q, session.createMessage(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JMSSecurityException.class).isNotNull();
    }
}
