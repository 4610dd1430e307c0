package io.tunnelmq.jms.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.jms.transport.TunnelTransport;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.codec.DirectFrameWriter;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Send;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * Writes frames into one tunnel. A request is registered in the {@link PendingRequests} before it is written,
 * so its answer, an error, a timeout or a failed write reaches its {@link Reply} exactly once. A one-way frame written
 * on the event loop goes straight into the encoder's open buffer ({@link DirectFrameWriter}: no promise, no walk down
 * the pipeline) unless frames are traced. Flushing is left to the pipeline's flush consolidation, so frames written in one
 * event-loop round share one flush. Confined to the connection's event loop.
 */
final class TunnelWriter {
    private final Channel channel;
    private final PendingRequests pending;
    private final String brokerAddress;
    private int frameLimit;
    /** One-way frames written on the loop go straight into the encoder. */
    private final DirectFrameWriter frames;

    TunnelWriter(Channel channel, PendingRequests pending, String brokerAddress, int frameLimit) {
        this.channel = channel;
        this.pending = pending;
        this.brokerAddress = brokerAddress;
        this.frameLimit = frameLimit;
        this.frames = TunnelTransport.directWriter(channel);
    }

    /** The broker accepts smaller frames than this client: messages say so when a frame is refused. */
    void frameLimit(int limit) {
        frameLimit = limit;
    }

    /**
     * Registers a request, then writes it.
     *
     * @param what     names the request in timeout messages, e.g. "Commit on session 2"
     * @param frameFor builds the frame for the request id
     */
    void request(int ch, String what, LongFunction<Frame> frameFor, Reply reply) {
        long id = pending.register(ch, what, reply);
        Frame frame;
        try {
            frame = frameFor.apply(id);
        } catch (RuntimeException e) {
            pending.take(id);
            reply.failed(new EngineException(ErrorCode.INTERNAL_ERROR, what + " could not be built: " + e.getMessage(), e));
            return;
        }
        channel.writeAndFlush(frame).addListener(done -> {
            if (done.isSuccess()) {
                reply.written();
            } else {
                PendingRequests.Entry entry = pending.take(id);
                if (entry != null) {
                    entry.reply().failed(writeFailure(frame, done.cause()));
                }
            }
        });
    }

    /**
     * Writes a frame that gets no answer; {@code written}, if given, completes as {@link #oneWay(Frame)} says, or fails
     * with its failure.
     */
    void oneWay(Frame frame, CompletableFuture<Void> written) {
        if (written == null) {
            // a failure goes down the pipeline as an exception, as FIRE_EXCEPTION_ON_FAILURE did: without a promise
            // and a listener per frame (most frames: settles, credits)
            frames.writeAndFlushVoid(frame);
            return;
        }
        EngineException failed = oneWay(frame);
        if (failed == null) {
            written.complete(null);
        } else {
            written.completeExceptionally(failed);
        }
    }

    /**
     * Writes a frame that gets no answer, and says at once whether it was written: encoded into the connection's
     * outbound buffer — within the send window, so it goes out unless the connection is lost, and then the frames not
     * on the wire yet are lost with it, which an unanswered send or settlement may be — without a listener on the
     * socket write per frame.
     *
     * @return null once written; else why not (too large to encode, say, or the channel is closed)
     */
    EngineException oneWay(Frame frame) {
        assert channel.eventLoop().inEventLoop() : "one-way frames are written on the loop, which encodes them inline";
        Throwable cause;
        try {
            if (frames.tryWriteNow(frame)) {
                channel.flush();
                return null;
            }
            ChannelFuture done = channel.writeAndFlush(frame);
            cause = done.isDone() ? done.cause() : null;
        } catch (EncoderException e) {
            cause = e;
        }
        return cause == null ? null : writeFailure(frame, cause);
    }

    private EngineException writeFailure(Frame frame, Throwable cause) {
        Throwable root = cause instanceof EncoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException pe && pe.code() == ErrorCode.FRAME_TOO_LARGE) {
            // nothing reached the socket: the connection is fine, only this frame is refused
            if (frame instanceof Send send) {
                return new EngineException(ErrorCode.MESSAGE_TOO_LARGE, "message to " + send.message().destination()
                        + " is too large: " + pe.getMessage() + "; the broker at " + brokerAddress
                        + " accepts frames of up to " + frameLimit + " bytes, so send a smaller message", pe);
            }
            return new EngineException(ErrorCode.FRAME_TOO_LARGE, frame.type() + " is too large: " + pe.getMessage(), pe);
        }
        if (!channel.isActive()) {
            return new EngineException(ErrorCode.CONNECTION_FAILED, "the connection to the broker at " + brokerAddress
                    + " is lost; " + frame.type() + " was not sent", root);
        }
        return new EngineException(ErrorCode.CONNECTION_FAILED, "writing " + frame.type() + " to the broker at "
                + brokerAddress + " failed: " + root.getMessage(), root);
    }
}
