package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class DestinationPatternTest {

    @Test
    void anExactNameMatchesOnlyItself() {
        DestinationPattern p = new DestinationPattern("orders.eu");
        assertThat(p.matches("orders.eu")).isTrue();
        assertThat(p.matches("orders.eu.big")).isFalse();
        assertThat(p.matches("orders")).isFalse();
        assertThat(p.matches("orders-eu")).isFalse();
    }

    @Test
    void greaterThanMatchesOneOrMoreSegments() {
        DestinationPattern p = new DestinationPattern("orders.>");
        assertThat(p.matches("orders.eu")).isTrue();
        assertThat(p.matches("orders.eu.big")).isTrue();
        assertThat(p.matches("orders")).isFalse();
        assertThat(p.matches("ordersx.eu")).isFalse();
        assertThat(new DestinationPattern(">").matches("anything.at.all")).isTrue();
    }

    @Test
    void starMatchesExactlyOneSegment() {
        DestinationPattern p = new DestinationPattern("DLQ.*");
        assertThat(p.matches("DLQ.orders")).isTrue();
        assertThat(p.matches("DLQ.orders.eu")).isFalse();
        assertThat(p.matches("DLQ")).isFalse();
        assertThat(new DestinationPattern("a.*.c").matches("a.b.c")).isTrue();
        assertThat(new DestinationPattern("a.*.c").matches("a.b.d")).isFalse();
        assertThat(new DestinationPattern("*.>").matches("a.b")).isTrue();
    }

    @Test
    void greaterThanOnlyAtTheEnd() {
        assertThatThrownBy(() -> new DestinationPattern("a.>.b")).hasMessageContaining("only be the last segment");
        assertThatThrownBy(() -> new DestinationPattern("")).hasMessageContaining("empty");
    }
}
