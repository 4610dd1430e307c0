package io.tunnelmq.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Ok;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChannelFrameSinkTest {

    @Test
    void aFrameThatCannotBeWrittenReachesThePipelineAsAnExceptionInsteadOfVanishing() {
        List<Throwable> caught = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                caught.add(cause);
            }
        }, new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof Heartbeat) {
                    promise.setFailure(new EncoderException("cannot encode " + msg));
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        ChannelFrameSink sink = new ChannelFrameSink(channel, channel.eventLoop(), "c-1");

        sink.send(new Ok(1, 7, 0));
        assertThat((Object) channel.readOutbound()).isInstanceOf(Ok.class);
        assertThat(caught).isEmpty();

        sink.send(Heartbeat.INSTANCE);
        assertThat(caught).singleElement().isInstanceOf(EncoderException.class);
        assertThat((Object) channel.readOutbound()).isNull();
    }
}
