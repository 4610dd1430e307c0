package io.tunnelmq.bench.load;

import io.tunnelmq.bench.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class LoadOptionsTest {

    private static LoadOptions parse(String... args) {
        return LoadOptions.from(CommandLine.parse(List.of(args)));
    }

    @Test
    void defaultsAreOneToOneNonPersistentAutoAckOnQueueBench() {
        LoadOptions o = parse();

        assertThat(o.destinationName()).isEqualTo("queue/bench");
        assertThat(o.factoryName()).isEqualTo("ConnectionFactory");
        assertThat(o.producers()).isEqualTo(1);
        assertThat(o.consumers()).isEqualTo(1);
        assertThat(o.size()).isEqualTo(1024);
        assertThat(o.ack()).isEqualTo(AckMode.AUTO);
        assertThat(o.persistent()).isFalse();
        assertThat(o.countMode()).isFalse();
        assertThat(o.shape()).isEqualTo("queue non-persistent 1024B 1->1 auto");
    }

    @Test
    void topicDefaultsToTopicBenchAndCountsEverySubscribersCopy() {
        LoadOptions o = parse("--topic", "--consumers", "3", "--messages", "100");

        assertThat(o.destinationName()).isEqualTo("topic/bench");
        assertThat(o.expectedReceives()).isEqualTo(300);
    }

    @Test
    void transactedCommitsInBatchesOfTenUnlessTold() {
        assertThat(parse("--ack", "transacted").batch()).isEqualTo(10);
        assertThat(parse("--ack", "tx", "--batch", "3").batch()).isEqualTo(3);
        assertThat(parse("--ack", "individual").ack().sessionMode()).isEqualTo(101);
    }

    @Test
    void impossibleCombinationsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("--ack", "sometimes")).hasMessageContaining("--ack must be");
        assertThatThrownBy(() -> parse("--producers", "0")).hasMessageContaining("--producers must be at least 1");
        assertThatThrownBy(() -> parse("--request-reply", "--topic")).hasMessageContaining("drop --topic");
        assertThatThrownBy(() -> parse("--request-reply", "--ack", "transacted"))
                .hasMessageContaining("needs --batch 1");
        assertThatThrownBy(() -> parse("--duration", "0")).hasMessageContaining("--messages");
        assertThatThrownBy(() -> parse("--reply-to", "nowhere")).hasMessageContaining("temporary or fixed");
    }
}
