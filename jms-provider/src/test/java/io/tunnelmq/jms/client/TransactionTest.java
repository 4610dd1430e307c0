package io.tunnelmq.jms.client;

import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transacted sessions: staged sends, held completions, rollback order, failed commits. */
@Timeout(30)
class TransactionTest extends FakeBrokerTestSupport {

    private static String text(Message m) throws JMSException {
        return ((TextMessage) m).getText();
    }

    @Test
    void sendsBecomeVisibleAtCommit() throws JMSException {
        Connection c = connect();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        assertThat(tx.getTransacted()).isTrue();
        assertThat(tx.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("q");
        MessageProducer p = tx.createProducer(q);
        p.send(tx.createTextMessage("one"));
        p.send(tx.createTextMessage("two"));
        broker.sync();
        assertThat(broker.depth("q")).isZero();
        tx.rollback();
        assertThat(broker.depth("q")).isZero();
        p.send(tx.createTextMessage("three"));
        tx.commit();
        assertThat(broker.depth("q")).isEqualTo(1);
    }

    @Test
    void consumedMessagesAreCompletedAtCommitAndRedeliveredInOrderAfterRollback() throws JMSException {
        Connection c = connect();
        Session plain = c.createSession();
        Queue q = plain.createQueue("q");
        sendTexts(plain, q, "1", "2", "3", "4");
        Session tx = c.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(q);
        c.start();
        assertThat(text(consumer.receive(5_000))).isEqualTo("1");
        assertThat(text(consumer.receive(5_000))).isEqualTo("2");
        tx.rollback();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Message m = consumer.receive(5_000);
            got.add(text(m) + (m.getJMSRedelivered() ? "'" : ""));
        }
        assertThat(got).containsExactly("1'", "2'", "3", "4");
        assertThat(broker.depth("q")).isEqualTo(4);
        tx.commit();
        assertThat(broker.depth("q")).isZero();
    }

    @Test
    void aCommitWhoseConnectionFailedBeforeTheAnswerHasAnUnknownOutcomeNotARollback() throws JMSException {
        Connection c = connect();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        tx.createProducer(tx.createQueue("out")).send(tx.createTextMessage("staged"));
        broker.failNext("commit", ErrorCode.CONNECTION_FAILED);
        assertThatThrownBy(tx::commit).isInstanceOf(JMSException.class)
                .isNotInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("outcome of the commit").hasMessageContaining("unknown");
    }

    @Test
    void aFailedCommitIsRolledBack() throws JMSException {
        Connection c = connect();
        Session plain = c.createSession();
        Queue q = plain.createQueue("q");
        sendTexts(plain, q, "a", "b");
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(q);
        MessageProducer p = tx.createProducer(tx.createQueue("out"));
        c.start();
        consumer.receive(5_000);
        p.send(tx.createTextMessage("staged"));
        broker.failNext("commit", ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("rolled back").hasCauseInstanceOf(TransactionRolledBackException.class);
        assertThat(broker.depth("out")).isZero();
        Message again = consumer.receive(5_000);
        assertThat(text(again)).isEqualTo("a");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(text(consumer.receive(5_000))).isEqualTo("b");
        tx.commit();
        assertThat(broker.depth("q")).isZero();
    }

    @Test
    void commitAndRollbackNeedATransactedSessionAndRecoverDoesNot() throws JMSException {
        Connection c = connect();
        Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(plain::commit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transacted");
        assertThatThrownBy(plain::rollback).isInstanceOf(IllegalStateException.class);
        Session tx = c.createSession(true, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(tx::recover).isInstanceOf(IllegalStateException.class).hasMessageContaining("rollback");
    }

    @Test
    void acknowledgeAndLockedCompleteInATransactionFollowIt() throws JMSException {
        Connection c = connect();
        Session plain = c.createSession();
        Queue q = plain.createQueue("q");
        sendTexts(plain, q, "a", "b");
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(q);
        c.start();
        Message a = consumer.receive(5_000);
        a.acknowledge(); // ignored in a transacted session
        ((io.tunnelmq.jms.LockedMessage) consumer.receive(5_000)).complete(); // held until commit
        assertThat(broker.depth("q")).isEqualTo(2);
        tx.commit();
        assertThat(broker.depth("q")).isZero();
    }

    @Test
    void closingATransactedSessionDropsItsWork() throws JMSException {
        Connection c = connect();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        tx.createProducer(tx.createQueue("q")).send(tx.createTextMessage("never"));
        tx.close();
        broker.sync();
        assertThat(broker.depth("q")).isZero();
    }
}
