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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers each request from its route: GET and HEAD only, and POST for a tree route (405 otherwise, with
 * {@code Allow}), 404 for a path no route serves, 500 if the route fails (logged; the server stays up). Keeps the
 * connection open when the client asks for keep-alive, as Prometheus does between scrapes. An answer the route holds
 * back (a failed login) is written by the event loop's timer: nothing sleeps.
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
        HttpReply reply = answer(ctx, request, head);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.valueOf(reply.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        if (reply.status() == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, routes.takesPost(path(request)) ? "GET, HEAD, POST"
                    : "GET, HEAD");
        }
        // after a malformed request the byte stream cannot be trusted to hold another one
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(response, keepAlive);
        if (reply.delayMillis() > 0) {
            ctx.executor().schedule(() -> write(ctx, response, keepAlive), reply.delayMillis(), TimeUnit.MILLISECONDS);
        } else {
            write(ctx, response, keepAlive);
        }
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String path(FullHttpRequest request) {
        return new QueryStringDecoder(request.uri()).path();
    }

    private HttpReply answer(ChannelHandlerContext ctx, FullHttpRequest request, boolean head) {
        if (!request.decoderResult().isSuccess()) {
            return HttpReply.text(400, "malformed HTTP request");
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        boolean post = HttpMethod.POST.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method()) && !(post && routes.takesPost(uri.path()))) {
            return HttpReply.text(405, request.method() + " is not allowed here: " + uri.path() + " answers "
                    + (routes.takesPost(uri.path()) ? "GET, HEAD and POST" : "GET and HEAD"));
        }
        HttpRoute route = routes.find(uri.path());
        if (route == null) {
            return HttpReply.text(404, "nothing at " + uri.path() + "; this port serves " + routes.paths());
        }
        try {
            return route.answer(call(ctx, request, uri));
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", request.method(), uri.path(), e);
            return HttpReply.text(500, "the broker failed to answer " + uri.path() + ": " + e);
        }
    }

    private static HttpCall call(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        Map<String, List<String>> parameters = new LinkedHashMap<>(uri.parameters());
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            String form = request.content().toString(StandardCharsets.UTF_8);
            new QueryStringDecoder(form, StandardCharsets.UTF_8, false).parameters()
                    .forEach((name, values) -> parameters.merge(name, values, (a, b) -> {
                        List<String> both = new ArrayList<>(a);
                        both.addAll(b);
                        return both;
                    }));
        }
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        InetAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                && inet.getAddress() != null ? inet.getAddress() : InetAddress.getLoopbackAddress();
        return new HttpCall(uri.path(), parameters, request.method().name(), headers, remote);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a client that went away mid-request, or garbage on the port: its connection goes, nothing else
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
