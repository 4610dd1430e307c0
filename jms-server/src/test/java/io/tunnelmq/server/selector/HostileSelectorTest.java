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
    void aLikePatternThatWouldLookAtEachCharacterThousandsOfTimesIsUnknownAtOnce() {
        // finding the middle part's leftmost fit looks at 10^10 characters: minutes under a queue's lock
        WireMessage aaa = message(Map.of("s", "a".repeat(1_000_000)));
        String middle = "'%" + "a".repeat(10_000) + "b%'";

        assertThat(Selector.compile("s LIKE " + middle).matches(aaa)).isFalse();
        assertThat(Selector.compile("s NOT LIKE " + middle).matches(aaa)).as("UNKNOWN, not FALSE").isFalse();
        assertThat(Selector.compile("NOT (s LIKE " + middle + ")").matches(aaa)).isFalse();

        String a10k = "a".repeat(10_000);
        assertThat(Selector.compile("s LIKE '%" + a10k + "'").matches(aaa)).as("a suffix: decided").isTrue();
        assertThat(Selector.compile("s NOT LIKE '%" + a10k + "b'").matches(aaa)).isTrue();
        assertThat(Selector.compile("s LIKE '" + a10k + "%" + a10k + "'").matches(aaa)).isTrue();
        assertThat(Selector.compile("s LIKE '%a%" + a10k + "%a'").matches(aaa)).as("a middle part that fits at once")
                .isTrue();
    }

    @Test
    void likeMatchesWholeCodePointsAndPlacesEachMiddlePartAtItsFirstFit() {
        WireMessage emoji = message(Map.of("s", "x\uD83D\uDE00y"));
        assertThat(Selector.compile("s LIKE 'x_y'").matches(emoji)).as("one code point, two chars").isTrue();
        assertThat(Selector.compile("s LIKE 'x__y'").matches(emoji)).isFalse();

        WireMessage m = message(Map.of("s", "abcabcabd"));
        assertThat(Selector.compile("s LIKE '%abc%abd'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE '%bc%bc%bd'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE '%bc%bc%bc%'").matches(m)).isFalse();
        assertThat(Selector.compile("s LIKE 'a%c_b%'").matches(m)).isTrue();
        assertThat(Selector.compile("s LIKE 'abc%abc%abd'").matches(m)).isTrue();
        WireMessage shorter = message(Map.of("s", "abcabd"));
        assertThat(Selector.compile("s LIKE 'abc%abc%abd'").matches(shorter)).as("parts may not overlap").isFalse();
        assertThat(Selector.compile("s LIKE 'abca%cabd'").matches(shorter)).as("nor start and end").isFalse();
    }

    @Test
    void aSelectorPastTheLengthLimitIsRefusedWithAShortMessage() {
        String selector = "s IN (" + "'v', ".repeat(Selector.MAX_LENGTH / 5) + "'w')";

        assertThatThrownBy(() -> Selector.compile(selector)).isInstanceOf(SelectorException.class)
                .hasMessageContaining("at most " + Selector.MAX_LENGTH + " characters")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        int deep = 10_000;
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
