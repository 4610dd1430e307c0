package io.tunnelmq.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.security.LoginBackoff;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.tunnelmq.server.net.HandlerChannels.closedWith;
import static io.tunnelmq.server.net.HandlerChannels.hello;
import static io.tunnelmq.server.net.HandlerChannels.read;
import static io.tunnelmq.server.net.HandlerChannels.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's login on an in-memory channel: credentials checked on a login thread (here a queue the test runs)
 * or at once, reads paused only for the trip, a verdict that cannot be had, and one whose turn came too late.
 */
@Timeout(10)
class ConnectionLoginTest {
    @RegisterExtension
    final HandlerFixture fixture = new HandlerFixture();
    /** The login threads: checks wait here until the test runs them. */
    private final Queue<Runnable> loginThread = new ArrayDeque<>();

    /** Logins checked by {@code authenticator} on {@link #loginThread}, without back-off, on {@code clock}. */
    private Logins queued(Authenticator authenticator, AtomicLong clock) {
        return new Logins(authenticator, loginThread::add, new LoginBackoff(0, 0), new LogThrottle(), clock::get);
    }

    private Logins queued(Authenticator authenticator) {
        return queued(authenticator, new AtomicLong(Long.MIN_VALUE / 2)); // every deadline still ahead
    }

    @Test
    void credentialsAreCheckedOffTheEventLoopAndFullSizedFramesComeOnlyAfterLogin() {
        FrameDecoder decoder = new FrameDecoder(ConnectionHandler.PRE_LOGIN_MAX_FRAME_SIZE);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast(WireWatch.NAME, new WireWatch())
                .addLast(decoder)
                .addLast(new ConnectionHandler("c-1", fixture.settings, fixture.broker,
                        queued((user, password) -> true), fixture.live, null, BrokerLoops.NONE));
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        channel.runPendingTasks();
        assertThat((Object) channel.readOutbound()).as("no answer while the check runs").isNull();
        assertThat(channel.config().isAutoRead()).as("reads paused meanwhile").isFalse();

        loginThread.remove().run(); // the login thread's verdict goes back to the event loop
        assertThat(read(channel)).isInstanceOf(Welcome.class);
        assertThat(channel.config().isAutoRead()).isTrue();
        // the decoder now takes the broker's max frame size: a frame above the pre-login limit is no violation
        ByteBuf big = Unpooled.buffer();
        big.writeInt(ConnectionHandler.PRE_LOGIN_MAX_FRAME_SIZE * 2).writeByte(0);
        channel.writeInbound(big);
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
    }

    /** An in-memory channel that counts how often its reads were paused. */
    private static final class PauseCountingChannel extends EmbeddedChannel {
        int pauses;
        private ChannelConfig counting;

        @Override
        public ChannelConfig config() {
            if (counting == null) { // the super constructor asks already
                counting = new DefaultChannelConfig(this) {
                    @Override
                    public ChannelConfig setAutoRead(boolean autoRead) {
                        if (!autoRead) {
                            pauses++;
                        }
                        return super.setAutoRead(autoRead);
                    }
                };
            }
            return counting;
        }
    }

    @Test
    void aLoginDecidedAtOnceNeverPausesTheConnectionsReads() {
        PauseCountingChannel channel = fixture.withHandler(new PauseCountingChannel(),
                Logins.inline(Authenticator.ALLOW_ALL));
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(read(channel)).isInstanceOf(Welcome.class);
        // a wave of logins that each paused and resumed reading shaped the JIT's code of the read path for the
        // connections after it (README, twenty-third measurement)
        assertThat(channel.pauses).isZero();
        assertThat(channel.config().isAutoRead()).isTrue();

        PauseCountingChannel refused = fixture.withHandler(new PauseCountingChannel(),
                Logins.inline((user, password) -> false));
        write(refused, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(refused.config().isAutoRead()).as("nothing more read from a client refused at once").isFalse();
    }

    @Test
    void aLoginTheUsersFileRemembersIsAnsweredOnTheEventLoopWithoutPausingReads() {
        Logins logins = queued(new PasswordFile(Map.of("alice", "pw"), false));
        PauseCountingChannel first = fixture.withHandler(new PauseCountingChannel(), logins);
        write(first, new Hello(Protocol.VERSION, null, "alice", "pw", 0, Map.of()));
        assertThat(first.pauses).as("the first login is checked on a login thread").isOne();
        loginThread.remove().run();
        assertThat(read(first)).isInstanceOf(Welcome.class);

        PauseCountingChannel again = fixture.withHandler(new PauseCountingChannel(), logins);
        write(again, new Hello(Protocol.VERSION, null, "alice", "pw", 0, Map.of()));
        assertThat(read(again)).isInstanceOf(Welcome.class);
        assertThat(again.pauses).isZero();
        assertThat(loginThread).as("no trip to the login threads").isEmpty();

        PauseCountingChannel wrong = fixture.withHandler(new PauseCountingChannel(), logins);
        write(wrong, new Hello(Protocol.VERSION, null, "alice", "guess", 0, Map.of()));
        assertThat(loginThread).as("another password is checked").hasSize(1);
    }

    @Test
    void credentialsThatCannotBeCheckedAreAnsweredWithAnInternalError() {
        // an authenticator that throws, or login threads that refuse work (a broker shutting down), fail the verdict
        // at once: it must come back as an answer, not as an exception out of the read
        assertAnsweredCouldNotCheck((user, password) -> {
            throw new IllegalStateException("directory down");
        }, "directory down");
    }

    @Test
    void anAuthenticatorWhoseQuickCheckThrowsIsAnsweredWithAnInternalErrorToo() {
        assertAnsweredCouldNotCheck(new Authenticator() {
            @Override
            public boolean accepts(String user, String password) {
                return true;
            }

            @Override
            public boolean acceptsAtOnce(String user, String password) {
                throw new IllegalStateException("cache down");
            }
        }, "cache down");
    }

    /** A login checked by {@code authenticator} ends its connection with INTERNAL_ERROR naming {@code cause}. */
    private void assertAnsweredCouldNotCheck(Authenticator authenticator, String cause) {
        EmbeddedChannel channel = fixture.channel(authenticator);
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(closedWith(channel, ErrorCode.INTERNAL_ERROR).message())
                .startsWith("the broker could not check the credentials").contains(cause);
    }

    @Test
    void aCheckWhoseTurnComesAfterTheLoginDeadlineIsNotMadeAndAClientStillWaitingIsToldWhy() {
        AtomicLong clock = new AtomicLong();
        AtomicInteger hashed = new AtomicInteger();
        Logins logins = queued((user, password) -> hashed.incrementAndGet() > 0, clock);

        clock.set(System.currentTimeMillis()); // the connection is accepted now: its login is due a timeout later
        EmbeddedChannel inTime = fixture.withHandler(new EmbeddedChannel(), logins);
        write(inTime, hello(Protocol.VERSION, null, 0, Map.of()));
        loginThread.remove().run();
        assertThat(read(inTime)).isInstanceOf(Welcome.class);

        EmbeddedChannel late = fixture.withHandler(new EmbeddedChannel(), logins);
        write(late, hello(Protocol.VERSION, null, 0, Map.of()));
        // the login threads were busy until past the deadline: the client has given up by then, or is about to
        clock.set(System.currentTimeMillis() + fixture.settings.handshakeTimeoutMillis());
        loginThread.remove().run();
        assertThat(closedWith(late, ErrorCode.RESOURCE_EXHAUSTED).message())
                .contains("too many logins at once").contains(fixture.settings.handshakeTimeoutMillis() + " ms");
        assertThat(hashed).as("checked in time only").hasValue(1);
        assertThat(fixture.broker.counters().loginsOverdue()).as("tunnelmq_logins_overdue_total").isOne();
        assertThat(fixture.broker.counters().authFailures()).isZero();
    }

    @Test
    void refusedCredentialsEndTheConnection() {
        EmbeddedChannel channel = fixture.channel((user, password) -> false);
        write(channel, hello(Protocol.VERSION, null, 0, Map.of()));
        assertThat(closedWith(channel, ErrorCode.AUTHENTICATION_FAILED).message()).contains("user 'user'");
    }

    @Test
    void aUserNameWithALineBreakIsEscapedInTheRefusalAndItsLogLine() {
        EmbeddedChannel channel = fixture.channel((user, password) -> false);
        String logLine = "2026-12-07 12:00:00 [main] INFO Broker - user 'admin' logged in";
        write(channel, new Hello(Protocol.VERSION, null, "mallory\n" + logLine, "guess", 0, Map.of()));
        String refusal = closedWith(channel, ErrorCode.AUTHENTICATION_FAILED).message(); // the log says the same
        assertThat(refusal).doesNotContain("\n").contains("user 'mallory\\n" + logLine + "' was refused");
    }

}
