package io.tunnelmq.jms.integration;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The failover tests' ledger catches what it is there to catch: a lost number and an unflagged second copy. */
@Timeout(10)
class TrafficLedgerTest {

    @Test
    void aNumberSentAndNeverConsumedIsMissingUnlessAnotherBrokersLedgerConsumedIt() throws JMSException {
        TrafficLedger ledger = new TrafficLedger("q");
        TrafficLedger elsewhere = new TrafficLedger("q on the other broker");
        for (int n = 0; n < 4; n++) {
            ledger.sent(n);
        }
        consume(ledger, message(0, false));
        consume(ledger, message(2, false));
        consume(elsewhere, message(3, true));

        assertThat(ledger.missing()).containsExactly(1, 3);
        assertThat(ledger.missing(elsewhere)).containsExactly(1);
    }

    @Test
    void aSecondCopyWithoutJmsRedeliveredIsReportedAndAFlaggedOneIsNot() throws JMSException {
        TrafficLedger ledger = new TrafficLedger("q");
        ledger.handedOut(message(7, false));
        ledger.handedOut(message(7, true));
        ledger.handedOut(message(8, false));
        ledger.handedOut(message(8, false));

        assertThat(ledger.unflaggedAgain()).singleElement().asString().startsWith("8 (copy 2");
        assertThat(ledger.wasHandedOutAgain(7)).isTrue();
        assertThat(ledger.duplicates()).isEqualTo(2);
        assertThat(ledger.handedOutCount()).isEqualTo(4);
    }

    @Test
    void copiesOnTwoBrokersCountWhenTheSecondBrokersFirstCopyIsUnflagged() throws JMSException {
        TrafficLedger viaFailover = new TrafficLedger("q");
        TrafficLedger drained = new TrafficLedger("q drained");
        consume(viaFailover, message(1, false));
        consume(viaFailover, message(2, false));
        consume(drained, message(1, false));
        consume(drained, message(2, true));

        assertThat(viaFailover.consumedHereAndUnflaggedIn(drained)).containsExactly(1);
    }

    @Test
    void aMessageWithoutANumberFailsLoudly() throws JMSException {
        Message foreign = mock(Message.class);
        assertThatThrownBy(() -> new TrafficLedger("q").handedOut(foreign)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("without the property n");
    }

    private static void consume(TrafficLedger ledger, Message m) throws JMSException {
        ledger.handedOut(m);
        ledger.consumed(ledger.number(m));
    }

    private static Message message(int n, boolean redelivered) throws JMSException {
        Message m = mock(Message.class);
        when(m.propertyExists(Traffic.NUMBER)).thenReturn(true);
        when(m.getIntProperty(Traffic.NUMBER)).thenReturn(n);
        when(m.getJMSRedelivered()).thenReturn(redelivered);
        when(m.getIntProperty("JMSXDeliveryCount")).thenReturn(redelivered ? 2 : 1);
        return m;
    }
}
