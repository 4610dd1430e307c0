package io.tunnelmq.server.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class IntKeyedTest {

    @Test
    void oneEntryIsFoundReplacedAndRemoved() {
        IntKeyed<String> map = new IntKeyed<>();

        assertThat(map.put(1000, "a")).isNull();
        assertThat(map.get(1000)).isEqualTo("a");
        assertThat(map.containsKey(1000)).isTrue();
        assertThat(map.get(7)).isNull();
        assertThat(map.put(1000, "b")).isEqualTo("a");
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.remove(7)).isNull();
        assertThat(map.remove(1000)).isEqualTo("b");
        assertThat(map.size()).isZero();
        assertThat(map.get(1000)).isNull();
    }

    @Test
    void aKeyHeldBeyondTheFirstIsNotTakenForANewFirstOnceTheFirstIsGone() {
        IntKeyed<String> map = new IntKeyed<>();
        map.put(1, "one");
        map.put(2, "two");
        map.remove(1);

        assertThat(map.put(2, "TWO")).as("2 is still there, beyond the first").isEqualTo("two");
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.values()).containsExactly("TWO");
        assertThat(map.put(3, "three")).isNull();
        assertThat(map.values()).containsExactlyInAnyOrder("TWO", "three");
    }

    @Test
    void everyValueIsVisitedOnceAndTheCopyMayBeChangedUnderALoop() {
        IntKeyed<Integer> map = new IntKeyed<>();
        for (int i = 0; i < 5; i++) {
            map.put(i, i * 10);
        }
        List<Integer> seen = new ArrayList<>();
        map.forEach(seen::add);

        assertThat(seen).containsExactlyInAnyOrder(0, 10, 20, 30, 40);
        for (Integer v : map.values()) {
            map.remove(v / 10);
        }
        assertThat(map.size()).isZero();
        map.put(9, 90);
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(9)).isNull();
    }

    @Test
    void itAnswersAsAHashMapDoesOverRandomChanges() {
        Random random = new Random(19);
        IntKeyed<Integer> map = new IntKeyed<>();
        Map<Integer, Integer> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            int key = random.nextInt(6);
            switch (random.nextInt(3)) {
                case 0 -> assertThat(map.put(key, step)).isEqualTo(model.put(key, step));
                case 1 -> assertThat(map.remove(key)).isEqualTo(model.remove(key));
                default -> assertThat(map.get(key)).isEqualTo(model.get(key));
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        assertThat(map.values()).containsExactlyInAnyOrderElementsOf(model.values());
    }

    @Test
    void aNullValueIsRefused() {
        assertThatThrownBy(() -> new IntKeyed<String>().put(1, null)).isInstanceOf(NullPointerException.class);
    }
}
