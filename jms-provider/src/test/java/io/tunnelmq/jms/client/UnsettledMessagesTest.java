package io.tunnelmq.jms.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class UnsettledMessagesTest {

    @Test
    void oneAtATimeAsAnAutoAcknowledgeSessionHoldsThem() {
        UnsettledMessages unsettled = new UnsettledMessages();
        for (long token = 1; token <= 1_000; token++) {
            unsettled.add(token, "ID:" + token, token % 2 == 0);
            assertThat(unsettled.size()).isEqualTo(1);
            assertThat(unsettled.anyPersistent()).isEqualTo(token % 2 == 0);
            assertThat(unsettled.remove(token)).isTrue();
            assertThat(unsettled.remove(token)).as("only once").isFalse();
        }
        assertThat(unsettled.size()).isZero();
        assertThat(unsettled.takeAll().tokens()).isEmpty();
    }

    @Test
    void manyKeepTheirDeliveryOrderThroughGapsAndGrowth() {
        UnsettledMessages unsettled = new UnsettledMessages();
        List<Long> expected = new ArrayList<>();
        for (long token = 1; token <= 100; token++) {
            unsettled.add(token, token == 50 ? null : "ID:" + token, token == 7);
            expected.add(token);
            if (token % 3 == 0) { // one given back from the middle now and then
                assertThat(unsettled.remove(token - 1)).isTrue();
                expected.remove(Long.valueOf(token - 1));
            }
        }
        assertThat(unsettled.remove(1)).isTrue(); // the oldest
        expected.remove(Long.valueOf(1));
        assertThat(unsettled.remove(7)).isTrue();
        expected.remove(Long.valueOf(7));
        assertThat(unsettled.anyPersistent()).as("the only persistent one went").isFalse();
        assertThat(unsettled.remove(1_000)).isFalse();
        assertThat(unsettled.size()).isEqualTo(expected.size());

        UnsettledMessages.Taken taken = unsettled.takeAll();
        assertThat(taken.tokens()).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        for (int i = 0; i < taken.tokens().length; i++) {
            long token = taken.tokens()[i];
            assertThat(taken.messageIds()[i]).isEqualTo(token == 50 ? null : "ID:" + token);
        }
        assertThat(unsettled.size()).isZero();
        unsettled.add(200, "ID:200", true);
        assertThat(unsettled.takeAll().tokens()).containsExactly(200);
    }
}
