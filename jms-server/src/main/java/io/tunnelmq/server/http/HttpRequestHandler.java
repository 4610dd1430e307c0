package io.tunnelmq.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each request from its route: GET and HEAD only (405 otherwise, with {@code Allow}), 404 for a path no
 * route serves, 500 if the route fails (logged; the server stays up). Keeps the connection open when the client
 * asks for keep-alive, as Prometheus does between scrapes.
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);

    private final HttpRoutes routes;

    HttpRequestHandler(HttpRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean head = HttpMethod.HEAD.equals(request.method());
        HttpReply reply = answer(request, head);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.valueOf(reply.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        if (reply.status() == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        // after a malformed request the byte stream cannot be trusted to hold another one
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private HttpReply answer(FullHttpRequest request, boolean head) {
        if (!request.decoderResult().isSuccess()) {
            return HttpReply.text(400, "malformed HTTP request");
        }
        if (!head && !HttpMethod.GET.equals(request.method())) {
            return HttpReply.text(405, request.method() + " is not allowed here: this port answers GET and HEAD");
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        HttpRoute route = routes.find(uri.path());
        if (route == null) {
            return HttpReply.text(404, "nothing at " + uri.path() + "; this port serves " + routes.paths());
        }
        try {
            return route.answer(new HttpCall(uri.path(), uri.parameters()));
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", request.method(), uri.path(), e);
            return HttpReply.text(500, "the broker failed to answer " + uri.path() + ": " + e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a client that went away mid-request, or garbage on the port: its connection goes, nothing else
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
