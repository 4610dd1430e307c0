package io.tunnelmq.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** What may name a destination, a subscription or a client ID: both peers refuse the rest with this reason. */
@Timeout(10)
class NameProblemTest {

    @Test
    void ordinaryNamesOfAnyScriptUpToTheLimitAreFine() {
        assertThat(Protocol.nameProblem("queue name", "orders.EU/priority-1 Zoë 山田 😀")).isNull();
        assertThat(Protocol.nameProblem("queue name", "é".repeat(Protocol.MAX_NAME_BYTES / 2))).isNull();
        assertThat(Protocol.nameProblem("client ID", null)).isNull();
    }

    @Test
    void aNameOverTheLimitIsRefusedSayingItsLength() {
        assertThat(Protocol.nameProblem("queue name", "é".repeat(Protocol.MAX_NAME_BYTES / 2) + "q"))
                .startsWith("a queue name may be at most 1024 bytes long (UTF-8); this one is 1025 bytes");
    }

    @Test
    void aNameThatWouldShowAsSomethingElseIsRefusedSayingWhichCharacterAndWhere() {
        assertThat(Protocol.nameProblem("queue name", "orders\n2026-12-08 INFO forged"))
                .isEqualTo("a queue name may not contain control characters, line separators or bidirectional"
                        + " formatting; this one has U+000A at index 6: 'orders\\n2026-12-08 INFO forged'");
        assertThat(Protocol.nameProblem("client ID", "app\u202Egnp.exe")).contains("U+202E at index 3");
        assertThat(Protocol.nameProblem("subscription name", "s\u0000")).contains("U+0000 at index 1");
        assertThat(Protocol.nameProblem("topic name", "t\u2028")).contains("U+2028");
        assertThat(Protocol.nameProblem("topic name", "\u0085t")).contains("U+0085 at index 0");
        assertThat(Protocol.nameProblem("topic name", "tab\there")).contains("U+0009");
    }

    @Test
    void firstUnsafeFindsTheFirstCharacterALogLineWouldEscape() {
        assertThat(PeerText.firstUnsafe("clean")).isEqualTo(-1);
        assertThat(PeerText.firstUnsafe("ab\rc\n")).isEqualTo(2);
        assertThat(PeerText.firstUnsafe("\u2069")).isZero();
    }
}
