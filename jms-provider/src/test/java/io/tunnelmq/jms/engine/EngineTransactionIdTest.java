package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.engine.EngineTestSupport.RecordingEvents;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CommitQuery;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.ProducerStamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transaction ids travel only to a broker that names its store: a Commit carries the id, a CommitQuery asks about
 * it (Ok: applied, TRANSACTION_ROLLED_BACK: not); an older broker gets plain commits and is never asked.
 */
@Timeout(20)
class EngineTransactionIdTest {
    private static final ProducerStamp TX = new ProducerStamp(UUID.randomUUID(), 7);

    private FakeBroker broker;
    private EngineConnection connection;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            await(connection.close());
        }
        broker.close();
    }

    private EngineSession open(String storeId) throws Exception {
        broker.welcome(new Welcome(Protocol.VERSION, "c-1", 0, 1 << 20, Protocol.DEFAULT_MAX_FRAME_SIZE, "fake", 0,
                List.of(), storeId));
        connection = EngineTestSupport.connect(broker.options(""), new RecordingEvents());
        broker.next(Hello.class);
        return await(connection.openSession(true, 0));
    }

    @Test
    void aBrokerThatNamesItsStoreGetsTheIdAndAnswersQueries() throws Exception {
        EngineSession session = open("store-1");
        assertThat(connection.storeId()).isEqualTo("store-1");

        await(session.commit(TX));
        assertThat(broker.await(Commit.class).transactionId()).isEqualTo(TX);
        assertThat(await(session.committed(TX))).as("Ok: applied").isTrue();
        assertThat(broker.await(CommitQuery.class).transactionId()).isEqualTo(TX);

        broker.script(in -> in instanceof CommitQuery q ? List.of(new ErrorFrame(q.channel(), q.requestId(),
                ErrorCode.TRANSACTION_ROLLED_BACK, "never applied")) : broker.defaultAnswer(in));
        assertThat(await(session.committed(TX))).as("TRANSACTION_ROLLED_BACK: not applied").isFalse();

        broker.script(in -> in instanceof CommitQuery q ? List.of(new ErrorFrame(q.channel(), q.requestId(),
                ErrorCode.ILLEGAL_STATE, "cannot tell")) : broker.defaultAnswer(in));
        assertThat(failure(session.committed(TX)).code()).as("the broker cannot tell")
                .isEqualTo(ErrorCode.ILLEGAL_STATE);
    }

    @Test
    void anOlderBrokerGetsAPlainCommitAndIsNeverAsked() throws Exception {
        EngineSession session = open(null);
        assertThat(connection.storeId()).isNull();

        await(session.commit(TX));
        assertThat(broker.await(Commit.class).transactionId()).isNull();
        assertThat(failure(session.committed(TX)).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
    }
}
