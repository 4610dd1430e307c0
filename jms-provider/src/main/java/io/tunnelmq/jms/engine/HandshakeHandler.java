package io.tunnelmq.jms.engine;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;

import java.util.HashMap;
import java.util.Map;

/**
 * The opening of a tunnel: sends {@code Hello} as soon as TCP is up and waits for {@code Welcome}, then
 * steps out of the pipeline so every later frame goes to the {@link ConnectionHandler}. An error frame or
 * any other frame instead of {@code Welcome} fails the connect.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private final ConnectAttempt attempt;
    private final Hello hello;

    HandshakeHandler(ConnectAttempt attempt, Hello hello) {
        this.attempt = attempt;
        this.hello = hello;
    }

    /**
     * The client's Hello: its credentials and client ID, its heartbeat wish, a lock duration if it set one, the
     * connection it replaces if it resumes one, the resume key that lets a successor replace this one, and that it
     * reads the broker's peers and store id from Welcome.
     */
    static Hello hello(EngineOptions options) {
        Map<String, Object> helloOptions = new HashMap<>();
        helloOptions.put(Hello.OPTION_PEERS, true);
        helloOptions.put(Hello.OPTION_STORE_ID, true);
        helloOptions.put(Hello.OPTION_ACCESS_CHECKED, true);
        helloOptions.put(Hello.OPTION_UNANSWERED_SENDS, true);
        if (options.lockDurationMillis() > 0) {
            helloOptions.put(Hello.OPTION_LOCK_DURATION, options.lockDurationMillis());
        }
        if (options.resumeConnectionId() != null) {
            helloOptions.put(Hello.OPTION_RESUME, options.resumeConnectionId());
        }
        if (options.resumeKey() != null) {
            helloOptions.put(Hello.OPTION_RESUME_KEY, options.resumeKey());
        }
        return new Hello(Protocol.VERSION, options.clientId(), options.user(), options.password(),
                options.heartbeatMillis(), helloOptions);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(hello).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Welcome welcome && welcome.version() != Protocol.VERSION) {
            attempt.handshakeFailed(new EngineException(ErrorCode.UNSUPPORTED_VERSION, "the broker at "
                    + attempt.brokerUrl() + " speaks protocol version " + welcome.version()
                    + " but this client speaks version " + Protocol.VERSION
                    + "; use a client and broker of matching versions"));
        } else if (msg instanceof Welcome welcome) {
            // out of the way before anything else is read: frames right behind Welcome belong to the engine
            ctx.pipeline().remove(this);
            attempt.welcomed(welcome);
        } else if (msg instanceof ErrorFrame error) {
            attempt.handshakeFailed(new EngineException(error.code(), "the broker at "
                    + attempt.brokerUrl() + " refused the connection: " + error.message()));
        } else if (msg instanceof Frame frame) {
            attempt.handshakeFailed(attempt.cannotConnect("the broker answered the handshake with "
                    + frame.type() + " instead of WELCOME", ErrorCode.PROTOCOL_VIOLATION, null));
        }
    }
}
