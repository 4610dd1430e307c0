package io.tunnelmq.server.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** A queue a client named cannot forge a log line: its log lines show the name escaped. */
@Timeout(10)
class QueueNamesTest {

    @Test
    void aQueueNamedWithALineBreakIsShownEscaped() {
        PeekLockQueue queue = TestQueues.queue("orders\n12:00:00 [main] INFO Broker - forged", new ManualTimer(),
                new QueueSettings(1_000, 3));
        assertThat(queue.toString()).isEqualTo("queue orders\\n12:00:00 [main] INFO Broker - forged");
        assertThat(queue.name()).as("the name itself").contains("\n");
    }
}
