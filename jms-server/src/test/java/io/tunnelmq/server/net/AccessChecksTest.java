package io.tunnelmq.server.net;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CheckAccess;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SendFailed;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.Messages;
import io.tunnelmq.server.destination.DestinationRegistry;
import io.tunnelmq.server.queue.MemoryTracker;
import io.tunnelmq.server.queue.QueueSettings;
import io.tunnelmq.server.queue.WheelTimer;
import io.tunnelmq.server.security.AccessControl;
import io.tunnelmq.server.session.BrokerContext;
import io.tunnelmq.server.session.BrokerCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.tunnelmq.server.net.HandlerChannels.MAX_FRAME;
import static io.tunnelmq.server.net.HandlerChannels.read;
import static io.tunnelmq.server.net.HandlerChannels.write;
import static org.assertj.core.api.Assertions.assertThat;

/** What a broker that checks permissions says in Welcome, and its answers to CheckAccess and a refused Send. */
@Timeout(10)
class AccessChecksTest {
    private static final Map<String, Object> READS_FLAG = Map.of(Hello.OPTION_ACCESS_CHECKED, true);

    @TempDir
    Path dir;
    private final WheelTimer timer = new WheelTimer();
    private final MemoryTracker memory = new MemoryTracker(1L << 30);
    private final DestinationRegistry destinations = new DestinationRegistry(timer, memory,
            q -> new QueueSettings(60_000, 10));
    private AccessControl access = AccessControl.open();

    @AfterEach
    void tearDown() {
        access.close();
        timer.close();
    }

    private EmbeddedChannel opened(String user, Map<String, Object> options) {
        BrokerContext broker = new BrokerContext(destinations, memory, 1 << 20, MAX_FRAME, new BrokerCounters(),
                access);
        EmbeddedChannel channel = HandlerChannels.channel(HandlerChannels.settings("t"), broker,
                Authenticator.ALLOW_ALL, new LiveConnections());
        write(channel, new Hello(Protocol.VERSION, null, user, "pw", 0, options));
        return channel;
    }



    private void checking(String rules) throws Exception {
        access = AccessControl.watching(Files.writeString(dir.resolve("permissions"), rules));
    }

    @Test
    void anOpenBrokerSaysItChecksNothing() {
        EmbeddedChannel channel = opened("bob", READS_FLAG);
        assertThat(((Welcome) read(channel)).accessChecked()).isFalse();
    }

    @Test
    void aCheckingBrokerSaysSoOnlyToClientsThatReadIt() throws Exception {
        checking("role.r = alice\nqueue.q.send = r\n");
        assertThat(((Welcome) read(opened("bob", READS_FLAG))).accessChecked()).isTrue();
        assertThat(((Welcome) read(opened("bob", Map.of()))).accessChecked()).isFalse();
    }

    @Test
    void checkAccessIsAnsweredOkOrNotAuthorized() throws Exception {
        checking("role.r = alice\nqueue.q.send = r\nqueue.new.>.send = r\n");
        destinations.queue("q");
        EmbeddedChannel alice = opened("alice", READS_FLAG);
        read(alice);
        write(alice, new CheckAccess(1, WireDestination.queue("q"), Permission.SEND));
        assertThat(read(alice)).isInstanceOf(Ok.class);
        write(alice, new CheckAccess(2, WireDestination.queue("q"), Permission.CONSUME));
        ErrorFrame denied = (ErrorFrame) read(alice);
        assertThat(denied.requestId()).isEqualTo(2);
        assertThat(denied.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
        assertThat(denied.message()).isEqualTo("user 'alice' may not consume from queue 'q' (permission consume)");
        write(alice, new CheckAccess(3, WireDestination.queue("new.one"), Permission.SEND));
        assertThat(((ErrorFrame) read(alice)).message()).as("send would create it")
                .contains("queue 'new.one' does not exist yet and user 'alice' may not create it");
        assertThat(alice.isOpen()).as("a denial ends nothing").isTrue();
    }

    @Test
    void aRefusedSendStoresNothingAndTheSessionGoesOn() throws Exception {
        checking("role.r = alice\nqueue.q.send,create = r\n");
        EmbeddedChannel bob = opened("bob", Map.of());
        read(bob);
        write(bob, new OpenSession(1, 1, false, 1));
        assertThat(read(bob)).isInstanceOf(Ok.class);
        write(bob, new Send(1, 2, Messages.text(WireDestination.queue("q"), "m-1")));
        ErrorFrame denied = (ErrorFrame) read(bob);
        assertThat(denied.channel()).isEqualTo(1);
        assertThat(denied.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
        assertThat(denied.message()).isEqualTo("user 'bob' may not send to queue 'q' (permission send)");
        assertThat(destinations.exists(WireDestination.queue("q"))).as("nothing was created").isFalse();
        write(bob, new OpenSession(3, 4, false, 1));
        assertThat(read(bob)).isInstanceOf(Ok.class);
    }

    /** Bob, who may not send to queue q, with a session on channel 1, on a connection that sends unanswered sends. */
    private EmbeddedChannel bobSendingUnanswered() throws Exception {
        checking("role.r = alice\nqueue.q.send,create = r\n");
        EmbeddedChannel bob = opened("bob", Map.of(Hello.OPTION_UNANSWERED_SENDS, true));
        read(bob);
        write(bob, new OpenSession(1, 1, false, 1));
        assertThat(read(bob)).isInstanceOf(Ok.class);
        return bob;
    }

    @Test
    void aRefusedUnansweredSendIsReportedAsSendFailedAndTheSessionGoesOn() throws Exception {
        EmbeddedChannel bob = bobSendingUnanswered();
        write(bob, new Send(1, Protocol.NO_REPLY, Messages.text(WireDestination.queue("q"), "m-1")));
        SendFailed refused = (SendFailed) read(bob);
        assertThat(refused.channel()).isEqualTo(1);
        assertThat(refused.code()).isEqualTo(ErrorCode.NOT_AUTHORIZED);
        assertThat(refused.messageId()).isEqualTo("m-1");
        assertThat(refused.message()).isEqualTo("user 'bob' may not send to queue 'q' (permission send)");
        assertThat(destinations.exists(WireDestination.queue("q"))).as("nothing was created").isFalse();
        write(bob, new CloseSession(1, 2));
        assertThat(read(bob)).as("the session went on").isEqualTo(new Ok(1, 2, 1 << 20));
    }

    @Test
    void refusedUnansweredSendsAreReportedInTheWindowLikeTheOthers() throws Exception {
        EmbeddedChannel bob = bobSendingUnanswered();
        WireMessage big = Messages.withBody(WireDestination.queue("q"), "m", 60_000);
        long sent = 0;
        for (int i = 0; i < 9; i++) { // 540 KB of a 1 MiB window: past half, all refused
            write(bob, new Send(1, Protocol.NO_REPLY, big));
            sent += big.sizeEstimate();
        }
        WindowUpdate update = null;
        for (Frame f; (f = HandlerChannels.poll(bob)) != null; ) {
            if (f instanceof WindowUpdate w) {
                update = w;
            } else {
                assertThat(f).isInstanceOf(SendFailed.class);
            }
        }
        assertThat(update).as("a window spent on refused sends is reported too").isNotNull();
        assertThat(update.received()).isEqualTo(sent);
        assertThat(update.freeBytes()).as("nothing was kept").isEqualTo(1 << 20);
    }
}
