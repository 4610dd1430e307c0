package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static io.tunnelmq.jms.failover.FailoverFixture.failure;
import static io.tunnelmq.jms.failover.FailoverFixture.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Back-off, the order addresses are tried in, and what a reconnect tells the broker and the facade. */
@Timeout(20)
class ReconnectScheduleTest {
    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();

    @Test
    void backoffStartsAtOnceThenGrowsByTheMultiplierUpToTheMaximum() {
        Backoff b = new Backoff(new FailoverOptions(List.of("h:1"), false, 0, 100, 2.0, 500));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(b.next());
        }
        assertThat(waits).containsExactly(0L, 100L, 200L, 400L, 500L, 500L);
    }

    @Test
    void firstConnectTriesEachAddressOnceAndTheFirstThatConnectsWins() {
        engine.down.add("h:1");
        EngineConnection c = connect(engine, events, failover(0, "h:1", "h:2", "h:3"));

        assertThat(engine.connects).containsExactly("h:1 resume=null", "h:2 resume=null");
        assertThat(c.connectionId()).isEqualTo("c1");
        assertThat(c.brokerVersion()).isEqualTo("fake-1");
    }

    @Test
    void firstConnectThatFindsNoBrokerNamesEveryAddressAndKeepsTheLastErrorsCode() {
        engine.down.addAll(List.of("h:1", "h:2"));
        EngineException e = failure(new FailoverEngineFactory(engine, failover(0, "h:1", "h:2"))
                .connect(options(), events));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.getMessage()).contains("[h:1, h:2]").contains("tmq://h:2: connection refused");
        assertThat(engine.connects).as("no back-off, no second round").hasSize(2);
    }

    @Test
    void randomizedAddressesAreShuffledPerConnection() {
        FailoverOptions random = new FailoverOptions(List.of("a:1", "b:1", "c:1", "d:1", "e:1"), true, 0, 10, 2, 40);
        List<List<String>> orders = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 5; i++) {
            orders.add(new AddressList(random, r).all());
        }
        assertThat(orders).allSatisfy(o -> assertThat(o).containsExactlyInAnyOrder("a:1", "b:1", "c:1", "d:1", "e:1"));
        assertThat(orders.stream().distinct().count()).as("not always the same order").isGreaterThan(1);
    }

    @Test
    void reconnectStartsWithTheLostAddressThenTheOthersThenLearntPeersResumingTheLostConnection()
            throws Exception {
        engine.peers = List.of("peer:9", "h:1");
        EngineConnection c = connect(engine, events, failover(0, "h:1", "h:2"));
        engine.down.addAll(List.of("h:1", "h:2", "peer:9"));
        engine.connects.clear();

        engine.link(1).fail();

        eventually("two rounds tried", WAIT, () -> engine.connects.size() >= 6);
        assertThat(engine.connects.subList(0, 6)).containsExactly(
                "h:1 resume=c1", "h:2 resume=c1", "peer:9 resume=c1",
                "h:1 resume=c1", "h:2 resume=c1", "peer:9 resume=c1");
        assertThat(events.interrupted).hasSize(1);
        assertThat(c.brokerQuiet()).as("quiet while down").isTrue();
        assertThat(c.isClosed()).as("not failed: still reconnecting").isFalse();

        engine.down.remove("h:2");
        eventually("restored", WAIT, () -> events.restored.size() == 1);
        assertThat(events.restored).containsExactly("h:2");
        assertThat(c.connectionId()).isEqualTo("c2");
        assertThat(c.brokerQuiet()).isFalse();
        assertThat(events.heardAgain.get()).isEqualTo(1);
        assertThat(events.failed).isEmpty();
    }

    @Test
    void eventsOfALinkThatIsNoLongerCurrentAreIgnored() throws Exception {
        connect(engine, events, failover(0, "h:1"));
        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);

        engine.link(1).events.connectionFailed(FakeEngine.lost());
        engine.link(1).events.brokerHeardAgain();

        assertThat(events.interrupted).hasSize(1);
        assertThat(events.heardAgain.get()).isEqualTo(1);
        assertThat(engine.links).hasSize(2);
    }

    @Test
    void everyLinkOfAConnectionPresentsTheSameRandomResumeKeyAndAnotherConnectionAnother() throws Exception {
        engine.down.add("h:1");
        connect(engine, events, failover(0, "h:1", "h:2"));
        engine.down.remove("h:1");
        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
        List<String> firstKeys = List.copyOf(engine.resumeKeys);
        engine.resumeKeys.clear();

        connect(engine, new FailoverFixture.Events(), failover(0, "h:1", "h:2"));

        assertThat(firstKeys).as("a failed attempt, the first link, the link that resumes it").hasSize(3);
        assertThat(firstKeys.stream().distinct()).hasSize(1);
        assertThat(Base64.getUrlDecoder().decode(firstKeys.get(0))).as("128 random bits").hasSize(16);
        assertThat(engine.resumeKeys).hasSize(1).doesNotContain(firstKeys.get(0));
    }
}
