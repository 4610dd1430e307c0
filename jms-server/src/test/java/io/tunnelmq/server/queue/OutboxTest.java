package io.tunnelmq.server.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tasks run in the order added, batch after batch, whatever one of them throws. */
@Timeout(10)
class OutboxTest {

    @Test
    void aTaskThatThrowsDoesNotStopTheOthers() {
        Outbox outbox = new Outbox();
        List<String> ran = new ArrayList<>();
        outbox.add(() -> ran.add("a"));
        outbox.add(() -> {
            throw new IllegalStateException("a consumer's deliver failed");
        });
        outbox.add(() -> ran.add("b"));
        outbox.add(() -> {
            throw new StackOverflowError("deep in a consumer's deliver");
        });
        outbox.add(() -> ran.add("c"));
        outbox.seal();
        outbox.add(() -> ran.add("d"));
        outbox.seal();

        outbox.drain();

        assertThat(ran).containsExactly("a", "b", "c", "d");
    }
}
