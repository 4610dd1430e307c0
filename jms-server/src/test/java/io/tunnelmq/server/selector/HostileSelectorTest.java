package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Selectors and properties a hostile peer can send (found by SelectorFuzzTest and by thinking it through): the broker
 * evaluates selectors on its event loops against every message of a queue, so neither a pattern nor a nesting may
 * stall or overflow the stack there.
 */
@Timeout(10)
class HostileSelectorTest {

    private static WireMessage message(Map<String, Object> properties) {
        return new WireMessage(WireDestination.queue("q"), "ID:1", 1L, null, null, null, false, 4, 0, 0, properties,
                BodyType.TEXT, null);
    }

    @Test
    void aLikePatternOfManyWildcardsDoesNotBacktrackForever() {
        Selector selector = Selector.compile("s LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b'");
        WireMessage aaa = message(Map.of("s", "a".repeat(20_000)));

        assertThat(selector.matches(aaa)).isFalse();
        assertThat(Selector.compile("s LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%'").matches(aaa)).isTrue();
        assertThat(Selector.compile("s LIKE '%a_a%'").matches(aaa)).isTrue();
    }

    @Test
    void likeStillMatchesWhatItShould() {
        WireMessage m = message(Map.of("s", "ab%c_d\nx"));

        assertThat(Selector.compile("s LIKE 'ab!%c!_d_x' ESCAPE '!'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE 'a%x'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE '%%b%%%'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE '_b%'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE 'a%y'").matches(m)).isFalse();
        assertThat(Selector.compile("s LIKE 'ab%c_d_x_'").matches(m)).isFalse();
        assertThat(Selector.compile("s LIKE ''").matches(message(Map.of("s", "")))).isTrue();
        assertThat(Selector.compile("s LIKE '%'").matches(message(Map.of("s", "")))).isTrue();
        assertThat(Selector.compile("s LIKE '_'").matches(message(Map.of("s", "")))).isFalse();
        assertThat(Selector.compile("s NOT LIKE 'a%'").matches(m)).isFalse();
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        int deep = 100_000;
        for (String selector : new String[] {"(".repeat(deep) + "a = 1" + ")".repeat(deep), "NOT ".repeat(deep) + "f",
                "-".repeat(deep) + "a = 1", "a = 1 OR ".repeat(deep) + "a = 1", "a = 1 AND ".repeat(deep) + "a = 1",
                "a" + " + a".repeat(deep) + " = 1"}) {
            assertThatThrownBy(() -> Selector.compile(selector)).isInstanceOf(SelectorException.class)
                    .hasMessageContaining("nests too deeply");
        }
    }

    @Test
    void aLongButShallowSelectorIsFine() {
        StringBuilder in = new StringBuilder("s IN ('x'");
        for (int i = 0; i < 10_000; i++) {
            in.append(", 'v").append(i).append('\'');
        }
        Selector selector = Selector.compile(in.append(") OR ").append("(a = 1 OR b = 2) AND ".repeat(50))
                .append("c = 3").toString());

        assertThat(selector.matches(message(Map.of("s", "v9999")))).isTrue();
    }
}
