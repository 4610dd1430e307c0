package io.tunnelmq.jms.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RecentAcknowledgementsTest {

    @Test
    void remembersTheLastIdsByTokenAndForgetsTheOldest() {
        RecentAcknowledgements recent = new RecentAcknowledgements(3);
        assertThat(recent.idOf(1)).isNull();
        recent.add(1, "ID:1");
        recent.add(2, null); // sent without an id
        recent.add(3, "ID:3");
        assertThat(recent.idOf(1)).isEqualTo("ID:1");
        assertThat(recent.idOf(2)).isNull();
        assertThat(recent.idOf(3)).isEqualTo("ID:3");

        recent.add(4, "ID:4");
        assertThat(recent.idOf(1)).as("the oldest dropped out").isNull();
        assertThat(recent.idOf(4)).isEqualTo("ID:4");
        recent.add(3, "ID:3 again"); // a token acknowledged twice: the latest counts
        assertThat(recent.idOf(3)).isEqualTo("ID:3 again");
        assertThat(recent.idOf(0)).as("a token never acknowledged").isNull();
    }
}
