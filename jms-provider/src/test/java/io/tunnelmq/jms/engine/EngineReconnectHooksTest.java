package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.jms.engine.EngineTestSupport.RecordingListener;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.connect;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine gives the failover layer, against a real broker: the peers the broker names, a connection that
 * replaces (resumes) the lost one, and a consumer that names the messages its application already saw.
 */
@Timeout(30)
class EngineReconnectHooksTest {
    private static final WireDestination JOBS = WireDestination.queue("jobs");

    private EmbeddedBroker broker;
    private EngineOptions options;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withPeers(List.of("b2:9494", "b3:9595")));
        options = EngineTestSupport.options(broker.url() + "?clientID=app");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void theConnectionKnowsTheBrokersPeers() throws Exception {
        EngineConnection c = connect(options, new RecordingEvents());
        assertThat(c.peers()).containsExactly("b2:9494", "b3:9595");
        await(c.close());
    }

    @Test
    void aConnectionThatResumesAnotherWithItsKeyEndsItAndTakesItsClientId() throws Exception {
        RecordingEvents oldEvents = new RecordingEvents();
        EngineOptions keyed = options.withResumeKey("key-of-app");
        EngineConnection old = connect(keyed, oldEvents);

        EngineConnection replacement = connect(keyed.at(keyed.host(), keyed.port(), old.connectionId()),
                new RecordingEvents());

        assertThat(replacement.isClosed()).isFalse();
        EngineException ended = oldEvents.awaitFailure();
        assertThat(ended.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(ended.getMessage()).contains("replaced");
        await(replacement.close());
    }

    @Test
    void aConnectionThatResumesAnotherWithAnotherKeyLeavesItOpen() throws Exception {
        EngineConnection old = connect(options.withResumeKey("key-of-app"), new RecordingEvents());

        EngineOptions guessing = options.withResumeKey("guessed").at(options.host(), options.port(),
                old.connectionId());
        EngineException refused = failure(Engines.netty().connect(guessing, new RecordingEvents()));

        assertThat(refused.code()).as("the old connection keeps its client ID").isEqualTo(ErrorCode.INVALID_CLIENT_ID);
        EngineSession session = await(old.openSession(false, 2));
        await(session.send(new WireMessage(JOBS, "ID:still-open", 0, null, null, null, false, 4, 0, 0, Map.of(),
                BodyType.TEXT, new byte[0])).confirmed());
        assertThat(old.isClosed()).isFalse();
        await(old.close());
    }

    @Test
    void aConsumerNamingAMessageAsSeenGetsItRedelivered() throws Exception {
        EngineConnection c = connect(options, new RecordingEvents());
        EngineSession session = await(c.openSession(false, 2));
        for (String id : List.of("ID:m-1", "ID:m-2")) {
            await(session.send(new WireMessage(JOBS, id, 0, null, null, null, false, 4, 0, 0, Map.of(),
                    BodyType.TEXT, id.getBytes())).confirmed());
        }
        RecordingListener listener = new RecordingListener();

        await(session.createConsumer(ConsumerSpec.of(JOBS, null, 10).withSeenMessageIds(List.of("ID:m-2")),
                listener));

        Delivery first = listener.next();
        Delivery second = listener.next();
        assertThat(List.of(first.message().messageId() + "@" + first.deliveryCount(),
                second.message().messageId() + "@" + second.deliveryCount())).containsExactly("ID:m-1@1", "ID:m-2@2");
        await(c.close());
    }
}
