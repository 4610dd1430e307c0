package io.tunnelmq.bench.hostile;

import io.tunnelmq.bench.Eventually;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.security.PeerLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile peers, shrunk, against an embedded broker with a 1 s handshake deadline: each kind does what the
 * scenario says, and a peer that is closed is opened again, so the attack lasts as long as the run.
 */
@Timeout(60)
class HostilePeersTest {
    private static final HostilePeers.Plan SMALL = new HostilePeers.Plan(2, 4, 8, Duration.ofMillis(300),
            Duration.ofMillis(400), 3);

    @Test
    void everyKindBehavesAsPlannedAndClosedPeersAreOpenedAgain() throws Exception {
        BrokerConfig config = BrokerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withPeerLimits(PeerLimits.DEFAULTS.withHandshakeTimeoutMillis(1_000));
        try (EmbeddedBroker broker = EmbeddedBroker.start(config);
             HostilePeers peers = HostilePeers.start(new InetSocketAddress("127.0.0.1", broker.port()), SMALL)) {

            HostilePeers.Summary seen = Eventually.await(peers::summary, s -> s.closedByBroker(PeerKind.BIG_FRAME) >= 2
                    && s.closedByBroker(PeerKind.SLOWLORIS) >= 4 && s.closedByItself(PeerKind.IDLE) >= 8
                    && s.opened(PeerKind.SLOWLORIS) > 4, Duration.ofSeconds(30),
                    s -> "peers never got there: " + s.describe());
            HostilePeers.Summary last = peers.stop();

            assertThat(seen.connectFailures()).isZero();
            assertThat(seen.longestLifeNanos().get(PeerKind.SLOWLORIS)).as("slowloris lives until the deadline")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
            assertThat(seen.closedByBroker(PeerKind.IDLE)).as("idle peers close before the 1 s deadline").isZero();
            assertThat(last.opened(PeerKind.IDLE)).isGreaterThan(8);
            assertThat(last.maxOpen()).isLessThanOrEqualTo(SMALL.total());
            assertThat(last.describe()).contains("slowloris", "16 MiB-frame", "by themselves", "0 connects failed");
        }
    }
}
