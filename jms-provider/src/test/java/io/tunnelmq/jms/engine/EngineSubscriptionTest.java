package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static io.tunnelmq.jms.engine.EngineTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Unsubscribe, browse and temporary destinations on the wire, against a scripted broker. */
@Timeout(30)
class EngineSubscriptionTest {
    private static final WireDestination TEMP = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1");

    private FakeBroker broker;
    private EngineConnection connection;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = EngineTestSupport.connect(broker.options(""), new EngineTestSupport.RecordingEvents());
        broker.next(Hello.class);
    }

    @AfterEach
    void stop() throws Exception {
        await(connection.close());
        broker.close();
    }

    @Test
    void aBrowseIsAnsweredWithItsPageAndAnErrorFailsIt() throws Exception {
        WireMessage m = message("q", 10);
        broker.script(in -> {
            if (in instanceof Browse b && b.offset() == 0) {
                return List.of(new Browsed(b.channel(), b.requestId(), 4096, List.of(m), false));
            }
            if (in instanceof Browse b) {
                return List.of(new ErrorFrame(b.channel(), b.requestId(), ErrorCode.INVALID_SELECTOR, "bad"));
            }
            return in instanceof Unsubscribe u
                    ? List.of(new Ok(u.channel(), u.requestId(), 4096)) : broker.defaultAnswer(in);
        });
        EngineSession session = await(connection.openSession(false, 1));
        BrowsePage page = await(session.browse(WireDestination.queue("q"), "a = 1", 0, 50));
        Browse sent = broker.await(Browse.class);
        assertThat(sent.selector()).isEqualTo("a = 1");
        assertThat(sent.maxMessages()).isEqualTo(50);
        assertThat(page.messages()).containsExactly(m);
        assertThat(page.last()).isFalse();

        assertThat(failure(session.browse(WireDestination.queue("q"), null, 1, 50)).code())
                .isEqualTo(ErrorCode.INVALID_SELECTOR);

        await(session.unsubscribe("sub"));
        assertThat(broker.await(Unsubscribe.class).subscriptionName()).isEqualTo("sub");
        await(session.close());
        assertThat(failure(session.unsubscribe("sub")).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(failure(session.browse(WireDestination.queue("q"), null, 0, 1)).code())
                .isEqualTo(ErrorCode.ILLEGAL_STATE);
    }

    @Test
    void temporaryDestinationsAreCreatedAndDeletedOnChannelZero() throws Exception {
        await(connection.createTemporary(TEMP));
        CreateTemporary create = broker.await(CreateTemporary.class);
        assertThat(create.channel()).isEqualTo(Protocol.CONTROL_CHANNEL);
        assertThat(create.destination()).isEqualTo(TEMP);

        broker.script(in -> in instanceof DeleteTemporary d
                ? List.of(new ErrorFrame(0, d.requestId(), ErrorCode.ILLEGAL_STATE, "it has consumers"))
                : broker.defaultAnswer(in));
        EngineException busy = failure(connection.deleteTemporary(TEMP));
        assertThat(busy.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(busy.getMessage()).contains("it has consumers");

        await(connection.close());
        assertThat(failure(connection.createTemporary(TEMP)).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
    }
}
