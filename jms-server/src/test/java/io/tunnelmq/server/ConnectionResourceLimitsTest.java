package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.security.PeerLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connection may hold only so many sessions, consumers and temporary destinations (each costs heap no memory limit
 * counts): one more is refused with RESOURCE_EXHAUSTED naming the setting, the connection goes on, and closing or
 * deleting one makes room.
 */
@Timeout(30)
class ConnectionResourceLimitsTest {
    private static final WireDestination Q = WireDestination.queue("q");

    private EmbeddedBroker broker;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withPeerLimits(PeerLimits.DEFAULTS.withPerConnection(2, 3)
                .withMaxTemporariesPerConnection(2)));
        client = TestClient.open(broker);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        broker.close();
    }

    @Test
    void aSessionPastTheLimitIsRefusedUntilOneCloses() throws Exception {
        int first = client.openSession(false);
        client.openSession(false);
        long id = client.nextRequestId();
        ErrorFrame refused = client.refused(new OpenSession(9, id, false, 1), id);
        assertThat(refused.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(refused.message()).contains("2 sessions open", "maxSessionsPerConnection");

        long close = client.nextRequestId();
        client.request(new CloseSession(first, close), close);
        client.openSession(false);
    }

    @Test
    void aConsumerPastTheLimitOverAllSessionsIsRefusedUntilOneCloses() throws Exception {
        int a = client.openSession(false);
        int b = client.openSession(false);
        client.createConsumer(a, 1, Q, 1);
        client.createConsumer(a, 2, Q, 1);
        client.createConsumer(b, 1, Q, 1);
        long id = client.nextRequestId();
        ErrorFrame refused = client.refused(new CreateConsumer(b, id, 2, Q, null, false, null, false, false, 1), id);
        assertThat(refused.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(refused.message()).contains("3 consumers open", "maxConsumersPerConnection");
        assertThat(broker.queueStats("q").consumers()).isEqualTo(3);

        client.closeConsumer(a, 1);
        client.createConsumer(b, 2, Q, 1);
        assertThat(broker.queueStats("q").consumers()).isEqualTo(3);
    }

    @Test
    void aTemporaryDestinationPastTheLimitIsRefusedUntilOneIsDeleted() throws Exception {
        WireDestination first = temporaryQueue(1);
        createTemporary(first);
        createTemporary(temporaryQueue(2));
        long id = client.nextRequestId();
        ErrorFrame refused = client.refused(new CreateTemporary(id, temporaryQueue(3)), id);
        assertThat(refused.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(refused.message()).contains("2 temporary destinations", "maxTemporariesPerConnection");

        createTemporary(first); // creating one it has again (as a client resuming does) takes no room
        try (TestClient other = TestClient.open(broker)) {
            long mine = other.nextRequestId();
            other.request(new CreateTemporary(mine, new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC,
                    "tmp.other.1")), mine);
        }
        long delete = client.nextRequestId();
        client.request(new DeleteTemporary(delete, first), delete);
        createTemporary(temporaryQueue(3));
    }

    private static WireDestination temporaryQueue(int n) {
        return new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.limits." + n);
    }

    private void createTemporary(WireDestination destination) throws Exception {
        long id = client.nextRequestId();
        client.request(new CreateTemporary(id, destination), id);
    }
}
