package io.tunnelmq.server.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class TokenListTest {

    private static long[] all(TokenList list) {
        return list.newest(Integer.MAX_VALUE, null);
    }

    private static long[] newest(TreeSet<Long> reference, int count, LongPredicate wanted) {
        List<Long> accepted = new ArrayList<>();
        for (long token : reference) {
            if (wanted == null || wanted.test(token)) {
                accepted.add(token);
            }
        }
        List<Long> picked = accepted.subList(Math.max(0, accepted.size() - count), accepted.size());
        return picked.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void behavesAsASortedSetOverRandomDeliveriesSettlesAndRevocations() {
        Random random = new Random(19);
        TokenList list = new TokenList();
        TreeSet<Long> reference = new TreeSet<>();
        long next = 1;
        LongPredicate even = token -> token % 2 == 0;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) { // a delivery: the next token, now and then one out of order
                long token = random.nextInt(20) == 0 && next > 10 ? next - 1 - random.nextInt(10) : next++;
                list.add(token);
                reference.add(token);
            } else if (op < 8 && !reference.isEmpty()) { // the application takes the oldest
                long oldest = reference.pollFirst();
                assertThat(list.remove(oldest)).isTrue();
            } else if (op < 9) { // a settle or revocation anywhere, sometimes of a token not held
                long token = random.nextLong(next + 5);
                assertThat(list.remove(token)).as("remove %d", token).isEqualTo(reference.remove(token));
            } else {
                int count = random.nextInt(8);
                assertThat(list.newest(count, even)).isEqualTo(newest(reference, count, even));
                assertThat(list.count(even)).isEqualTo((int) reference.stream().filter(t -> t % 2 == 0).count());
            }
            assertThat(list.size()).isEqualTo(reference.size());
            assertThat(list.isEmpty()).isEqualTo(reference.isEmpty());
            if (step % 1_000 == 0) {
                assertThat(all(list)).isEqualTo(newest(reference, Integer.MAX_VALUE, null));
            }
        }
    }

    @Test
    void holdsAMillionTokensInAndOutAndAnEmptyListAnswersNothing() {
        TokenList list = new TokenList();
        assertThat(list.remove(0)).isFalse();
        assertThat(list.newest(3, null)).isEmpty();
        for (long token = 0; token < 1_000_000; token++) {
            list.add(token);
        }
        list.add(500_000); // already in: no second copy
        assertThat(list.size()).isEqualTo(1_000_000);
        assertThat(list.newest(2, null)).containsExactly(999_998, 999_999);
        for (long token = 0; token < 1_000_000; token++) {
            assertThat(list.remove(token)).isTrue();
        }
        assertThat(list.isEmpty()).isTrue();
        assertThat(list.remove(7)).isFalse();
    }
}
