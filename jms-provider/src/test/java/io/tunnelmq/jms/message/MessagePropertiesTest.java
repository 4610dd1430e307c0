package io.tunnelmq.jms.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The property table's shapes: none, one in a map of its own, more in insertion order; snapshots never change. */
@Timeout(10)
class MessagePropertiesTest {

    @Test
    void aSingleSetPropertyIsSentAsItsOwnUnmodifiableMap() throws Exception {
        MessageProperties p = new MessageProperties();
        p.set("sentNanos", 42L);

        Map<String, Object> sent = p.snapshot();
        assertThat(sent).containsExactly(Map.entry("sentNanos", 42L));
        assertThat(p.snapshot()).as("no copy per send").isSameAs(sent);
        assertThatThrownBy(() -> sent.put("other", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void laterPropertiesKeepTheFirstAndTheOrderAndLeaveEarlierSnapshotsAlone() throws Exception {
        MessageProperties p = new MessageProperties();
        p.set("first", "a");
        Map<String, Object> before = p.snapshot();
        p.set("second", 2);
        p.set("first", null);
        p.set("third", true);

        assertThat(before).containsExactly(Map.entry("first", "a"));
        assertThat(p.names()).containsExactly("first", "second", "third");
        assertThat(p.get("first")).isNull();
        assertThat(p.contains("first")).isTrue();
        assertThat(p.getInt("second")).isEqualTo(2);
    }

    @Test
    void aSinglePropertyCanBeSetAgainAndCleared() throws Exception {
        MessageProperties p = new MessageProperties();
        p.set("x", 1);
        p.set("x", 2);
        assertThat(p.snapshot()).containsExactly(Map.entry("x", 2));

        p.clear();
        assertThat(p.isEmpty()).isTrue();
        p.set("y", null);
        assertThat(p.snapshot()).containsOnlyKeys("y").containsValue(null);
    }
}
