package io.tunnelmq.server.net;

import io.netty.channel.ChannelHandlerContext;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.server.session.BrokerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The login half of a connection's handshake: the Hello's terms, the credentials checked (off the event loop when
 * {@link Logins} says so, the connection's reads paused meanwhile, so nothing of it runs before its Welcome), and a
 * refusal answered only after the failed-login back-off, on the event loop's timer — nothing sleeps. Complaints
 * about a peer before login are logged once per kind and address per interval.
 */
final class Login {
    private static final Logger log = LoggerFactory.getLogger(Login.class);

    /** What a login tells its connection. */
    interface Steps {
        /** Whether the connection still waits for this login's verdict (it may have been closed meanwhile). */
        boolean awaitingVerdict();

        /** The credentials are good: go on with the handshake (reads are running again). */
        void accepted(ChannelHandlerContext ctx, Hello hello, Handshake.Terms terms);

        /** The login is refused: the answer follows after the back-off; ignore what the peer sends meanwhile. */
        void refusing();

        /** Ends the connection with this error. */
        void fail(ChannelHandlerContext ctx, ErrorCode code, String message);
    }

    private final String connectionId;
    private final NetSettings settings;
    private final Logins logins;
    private final BrokerCounters counters;
    private final Steps steps;

    Login(String connectionId, NetSettings settings, Logins logins, BrokerCounters counters, Steps steps) {
        this.connectionId = connectionId;
        this.settings = settings;
        this.logins = logins;
        this.counters = counters;
        this.steps = steps;
    }

    /** The terms of the Hello, or null if they are refused (the connection has failed, the peer was logged). */
    Handshake.Terms negotiate(ChannelHandlerContext ctx, Hello hello) {
        try {
            return Handshake.negotiate(hello, settings);
        } catch (ProtocolException e) {
            complain(ctx, LogThrottle.Kind.HANDSHAKE, "refused", e.getMessage());
            steps.fail(ctx, e.code(), e.getMessage());
            return null;
        }
    }

    /**
     * Has the credentials checked; the verdict comes back through {@link Steps}. Reads pause while the check takes a
     * trip to the login threads, and for good once a client is refused; a login accepted at once (everyone allowed, or
     * a login the users file remembers) leaves them alone, since a wave of logins that each paused and resumed reading
     * shaped the JIT's code of the read path for the connections after it.
     *
     * @param openedAtMillis when the connection was accepted (wall clock): the login is due the handshake timeout later
     */
    void check(ChannelHandlerContext ctx, Hello hello, Handshake.Terms terms, long openedAtMillis) {
        // hasAttr first: attr() would add an empty attribute to every connection that has no certificate
        String certified = ctx.channel().hasAttr(TlsHandshakeWatch.CERTIFICATE_USER)
                ? ctx.channel().attr(TlsHandshakeWatch.CERTIFICATE_USER).get() : null;
        if (certified != null && (hello.user() == null || hello.user().equals(certified))) {
            // the TLS handshake verified the client's certificate, which maps to this user: no password needed
            steps.accepted(ctx, new Hello(hello.version(), hello.clientId(), certified, null, hello.heartbeatMillis(),
                    hello.options()), terms);
            return;
        }
        CompletableFuture<Logins.Verdict> verdict = logins.check(address(ctx), hello.user(), hello.password(),
                openedAtMillis + settings.handshakeTimeoutMillis());
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            verdict(ctx, hello, terms, verdict.getNow(null), null);
            return;
        }
        // before the verdict can come back: it always comes through this event loop, after this task
        ctx.channel().config().setAutoRead(false);
        verdict.whenComplete((v, e) -> {
            try {
                ctx.executor().execute(() -> verdict(ctx, hello, terms, v, e));
            } catch (RejectedExecutionException shutDown) {
                log.debug("connection {}: event loop has shut down; login answer dropped", connectionId);
            }
        });
    }

    private void verdict(ChannelHandlerContext ctx, Hello hello, Handshake.Terms terms, Logins.Verdict verdict,
                         Throwable failure) {
        if (!steps.awaitingVerdict()) {
            return; // closed meanwhile
        }
        if (failure != null) {
            log.error("connection {} from {}: the credentials could not be checked", connectionId,
                    ctx.channel().remoteAddress(), failure);
            steps.fail(ctx, ErrorCode.INTERNAL_ERROR, "the broker could not check the credentials: " + failure);
            return;
        }
        switch (verdict.outcome()) {
            case ACCEPTED -> {
                ctx.channel().config().setAutoRead(true);
                steps.accepted(ctx, hello, terms);
            }
            case REFUSED -> refuseLater(ctx, verdict, "user '" + PeerText.of(hello.user())
                    + "' was refused: wrong user name or password");
            case BLOCKED -> refuseLater(ctx, verdict, verdict.backoff().refusal(address(ctx), hello.user()));
            case LATE -> {
                String why = "the broker could not check this login within " + settings.handshakeTimeoutMillis()
                        + " ms of connecting: too many logins at once; try again";
                counters.loginOverdue();
                complain(ctx, LogThrottle.Kind.LOGIN, "not checked", why);
                steps.fail(ctx, ErrorCode.RESOURCE_EXHAUSTED, why);
            }
        }
    }

    private void refuseLater(ChannelHandlerContext ctx, Logins.Verdict verdict, String reason) {
        ctx.channel().config().setAutoRead(false); // nothing more is read from a client refused (a verdict at hand too)
        steps.refusing();
        counters.authenticationFailed();
        long delay = verdict.backoff().millis();
        complain(ctx, LogThrottle.Kind.LOGIN, "login refused",
                delay <= 0 ? reason : reason + " (" + verdict.backoff().heldBack() + ")");
        if (delay <= 0) {
            steps.fail(ctx, ErrorCode.AUTHENTICATION_FAILED, reason);
            return;
        }
        ctx.executor().schedule(() -> steps.fail(ctx, ErrorCode.AUTHENTICATION_FAILED, reason), delay,
                TimeUnit.MILLISECONDS);
    }

    /** Logs a peer's misbehaviour before login, at most once per kind and address per interval. */
    void complain(ChannelHandlerContext ctx, LogThrottle.Kind kind, String what, String why) {
        logins.complaints().warn(log, kind, address(ctx), "connection " + connectionId + " from "
                + ctx.channel().remoteAddress() + " " + what + ": " + why);
    }

    /** The peer's IP address; the loopback address on an in-memory test channel, which has none. */
    private static InetAddress address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** No Hello came within the handshake timeout of connecting: the connection ends, its peer complained of. */
    void overdue(ChannelHandlerContext ctx) {
        String why = "no Hello within " + settings.handshakeTimeoutMillis() + " ms of connecting";
        complain(ctx, LogThrottle.Kind.HANDSHAKE, "closed before login", why);
        steps.fail(ctx, ErrorCode.PROTOCOL_VIOLATION, why);
    }
}
