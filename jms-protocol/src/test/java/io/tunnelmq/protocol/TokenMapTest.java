package io.tunnelmq.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TokenMapTest {
    private static final int MIN_SLOTS = 16;

    @Test
    void behavesLikeAHashMapThroughGrowthShrinkingAndCollidingTokens() {
        Random random = new Random(19);
        for (int round = 0; round < 20; round++) {
            TokenMap<String> map = new TokenMap<>();
            Map<Long, String> expected = new HashMap<>();
            // sequential tokens (as the broker hands them out), a few far apart, and ones that share low bits
            int range = 1 + random.nextInt(2_000);
            for (int op = 0; op < 20_000; op++) {
                long token = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(range);
                    case 1 -> (long) random.nextInt(range) << 32;
                    default -> random.nextLong() % 4 == 0 ? Long.MIN_VALUE + random.nextInt(8) : -random.nextInt(8);
                };
                int what = random.nextInt(10);
                if (what < 4) {
                    String value = "v" + op;
                    assertThat(map.put(token, value)).isEqualTo(expected.put(token, value));
                } else if (what < 8 || op > 15_000) {
                    assertThat(map.remove(token)).isEqualTo(expected.remove(token));
                } else {
                    assertThat(map.get(token)).isEqualTo(expected.get(token));
                    assertThat(map.containsKey(token)).isEqualTo(expected.containsKey(token));
                }
                assertThat(map.size()).isEqualTo(expected.size());
            }
            for (Map.Entry<Long, String> e : expected.entrySet()) {
                assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
            }
            List<String> values = new ArrayList<>();
            map.values().forEach(values::add);
            assertThat(values).containsExactlyInAnyOrderElementsOf(expected.values());
            assertThat(map.isEmpty()).isEqualTo(expected.isEmpty());
        }
    }

    @Test
    void locksTakenNearlyInOrderAndEndedMostlyOldestFirstIterateInTokenOrderInBoundedMemory() {
        Random random = new Random(7);
        TokenMap<Long> map = new TokenMap<>();
        TreeMap<Long, Long> expected = new TreeMap<>();
        long next = 1_000;
        for (int op = 0; op < 300_000; op++) {
            int what = random.nextInt(10);
            if (what < 5 && expected.size() < 5_000) {
                // two queues dispatching to one session: tokens may come a few places out of order
                long token = random.nextInt(8) == 0 ? next - random.nextInt(6) : next;
                next += 6;
                assertThat(map.put(token, token)).isEqualTo(expected.put(token, token));
            } else if (what < 8 && !expected.isEmpty()) {
                long oldest = expected.firstKey();
                assertThat(map.remove(oldest)).isEqualTo(expected.remove(oldest));
            } else if (!expected.isEmpty()) {
                // a consumer of several settles its own locks: out of the middle
                long span = expected.lastKey() - expected.firstKey() + 1;
                long any = expected.ceilingKey(expected.firstKey() + random.nextInt((int) span));
                assertThat(map.remove(any)).isEqualTo(expected.remove(any));
                assertThat(map.get(any)).isNull();
            }
            assertThat(map.size()).isEqualTo(expected.size());
            assertThat(map.capacity()).as("arrays at most 32 times the entries, holes or not")
                    .isLessThanOrEqualTo(32 * expected.size() + MIN_SLOTS);
            if (op % 5_003 == 0) {
                List<Long> values = new ArrayList<>();
                map.values().forEach(values::add);
                assertThat(values).containsExactlyElementsOf(expected.values());
            }
        }
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void aMillionTokensInAndOutLeaveASmallTable() {
        TokenMap<Long> map = new TokenMap<>();
        for (long token = 1; token <= 1_000_000; token++) {
            map.put(token, token);
        }
        assertThat(map.size()).isEqualTo(1_000_000);
        assertThat(map.get(777_777)).isEqualTo(777_777L);
        for (long token = 1; token <= 999_999; token++) {
            assertThat(map.remove(token)).isEqualTo(token);
        }
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.get(1_000_000)).isEqualTo(1_000_000L);
        assertThat(map.get(5)).isNull();
        int valuesSeen = 0;
        for (Long ignored : map.values()) {
            valuesSeen++;
        }
        assertThat(valuesSeen).isEqualTo(1);
        assertThat(map.capacity()).as("the table of a million gave its memory back").isLessThanOrEqualTo(16);
    }

    @Test
    void aSizeSwingingEightfoldKeepsItsTable() {
        TokenMap<Long> map = new TokenMap<>();
        long next = 1;
        long oldest = 1;
        while (map.size() < 400) {
            map.put(next, next++);
        }
        int capacity = map.capacity();
        for (int swing = 0; swing < 1_000; swing++) { // a prefetch buffer draining to 50 and filling to 400 again
            while (map.size() > 50) {
                assertThat(map.remove(oldest)).isEqualTo(oldest++);
            }
            assertThat(map.capacity()).isEqualTo(capacity);
            while (map.size() < 400) {
                map.put(next, next++);
            }
            assertThat(map.capacity()).isEqualTo(capacity);
        }
        assertThat(map.get(oldest)).isEqualTo(oldest);
        assertThat(map.get(oldest - 1)).isNull();
    }

    @Test
    void nullValuesAreRefusedAndTokenZeroIsATokenLikeAnyOther() {
        TokenMap<String> map = new TokenMap<>();
        assertThatThrownBy(() -> map.put(1, null)).isInstanceOf(NullPointerException.class);
        assertThat(map.get(0)).isNull();
        map.put(0, "zero");
        assertThat(map.get(0)).isEqualTo("zero");
        assertThat(map.remove(0)).isEqualTo("zero");
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.remove(0)).isNull();
    }

    @Test
    void clearEmptiesTheMapWhichThenFillsAgainAndFailsAnIterationUnderWay() {
        TokenMap<String> map = new TokenMap<>();
        for (long token = 1; token <= 100; token++) {
            map.put(token, "v" + token);
        }
        Iterator<String> it = map.values().iterator();
        map.clear();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.capacity()).as("clear lets the table go").isZero();
        assertThat(map.get(5)).isNull();
        assertThat(map.remove(5)).isNull();
        assertThat(map.values()).isEmpty();
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
        map.put(5, "again");
        assertThat(map.get(5)).isEqualTo("again");
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void changingTheMapWhileIteratingFailsTheIteration() {
        TokenMap<String> map = new TokenMap<>();
        map.put(1, "one");
        map.put(2, "two");
        Iterator<String> it = map.values().iterator();
        it.next();
        map.remove(2);
        assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);

        Iterator<String> empty = new TokenMap<String>().values().iterator();
        assertThat(empty.hasNext()).isFalse();
        assertThatThrownBy(empty::next).isInstanceOf(NoSuchElementException.class);
    }
}
