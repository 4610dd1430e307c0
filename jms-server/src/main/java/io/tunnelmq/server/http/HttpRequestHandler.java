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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Answers each request of one connection from its route: GET and HEAD only, and POST for a tree route (405 otherwise,
 * with {@code Allow}), 404 for a path no route serves, 500 if the route fails (logged; the server stays up). Keeps the
 * connection open when the client asks for keep-alive, as Prometheus does between scrapes. A route with an executor
 * of its own ({@link HttpRoute#executor}) answers there; an answer the route holds back (a failed login) is written by
 * the event loop's timer: nothing sleeps. Meanwhile the connection's next requests wait, at most
 * {@link #MAX_WAITING} of them, and are answered in order after it (HTTP pipelining).
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRequestHandler.class);
    /** The most requests a connection may send ahead of an answer on its way; one more closes it. */
    static final int MAX_WAITING = 16;

    private final HttpRoutes routes;
    /** Requests that came while an answer was on its way, retained; on the event loop only. */
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    /** An answer is on its way (off the loop, or held back): the next requests wait. */
    private boolean answering;

    /** What the response to a request needs once the request itself is released. */
    private record Exchange(HttpVersion version, boolean head, boolean keepAlive, String allow) {
    }

    HttpRequestHandler(HttpRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!answering) {
            serve(ctx, request);
        } else if (waiting.size() < MAX_WAITING) {
            waiting.add(request.retain());
        } else {
            log.debug("HTTP connection {} sent more than {} requests ahead: closed", ctx.channel().remoteAddress(),
                    MAX_WAITING);
            ctx.close();
        }
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        boolean head = HttpMethod.HEAD.equals(request.method());
        // after a malformed request the byte stream cannot be trusted to hold another one
        Exchange exchange = new Exchange(request.protocolVersion(), head,
                HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess(),
                routes.takesPost(uri.path()) ? "GET, HEAD, POST" : "GET, HEAD");
        HttpRoute route = routes.find(uri.path());
        HttpReply refused = refusal(request, uri, head, route);
        if (refused != null) {
            finish(ctx, exchange, refused);
            return;
        }
        HttpCall call = call(ctx, request, uri);
        Executor executor = route.executor();
        if (executor == null) {
            finish(ctx, exchange, answer(route, call));
            return;
        }
        answering = true;
        try {
            executor.execute(() -> {
                HttpReply reply = answer(route, call);
                ctx.executor().execute(() -> finish(ctx, exchange, reply));
            });
        } catch (RejectedExecutionException e) {
            finish(ctx, exchange, HttpReply.text(503, "the broker is stopping"));
        }
    }

    /** The answer to a request no route takes (malformed, a method the path does not answer, no route), or null. */
    private HttpReply refusal(FullHttpRequest request, QueryStringDecoder uri, boolean head, HttpRoute route) {
        if (!request.decoderResult().isSuccess()) {
            return HttpReply.text(400, "malformed HTTP request");
        }
        boolean post = HttpMethod.POST.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method()) && !(post && routes.takesPost(uri.path()))) {
            return HttpReply.text(405, request.method() + " is not allowed here: " + uri.path() + " answers "
                    + (routes.takesPost(uri.path()) ? "GET, HEAD and POST" : "GET and HEAD"));
        }
        if (route == null) {
            return HttpReply.text(404, "nothing at " + uri.path() + "; this port serves " + routes.paths());
        }
        return null;
    }

    private static HttpReply answer(HttpRoute route, HttpCall call) {
        try {
            return route.answer(call);
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", call.method(), call.path(), e);
            return HttpReply.text(500, "the broker failed to answer " + call.path() + ": " + e);
        }
    }

    /** Writes the answer, at once or after its delay, then answers the requests that waited. On the event loop. */
    private void finish(ChannelHandlerContext ctx, Exchange exchange, HttpReply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(exchange.version(),
                HttpResponseStatus.valueOf(reply.status()),
                exchange.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        if (reply.status() == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, exchange.allow());
        }
        HttpUtil.setKeepAlive(response, exchange.keepAlive());
        if (reply.delayMillis() > 0) {
            answering = true;
            ctx.executor().schedule(() -> {
                write(ctx, response, exchange.keepAlive());
                next(ctx);
            }, reply.delayMillis(), TimeUnit.MILLISECONDS);
        } else {
            write(ctx, response, exchange.keepAlive());
            next(ctx);
        }
    }

    /** The answer is out: the requests that waited are answered, in order, until one is on its way again. */
    private void next(ChannelHandlerContext ctx) {
        answering = false;
        while (!answering && ctx.channel().isActive()) {
            FullHttpRequest request = waiting.poll();
            if (request == null) {
                return;
            }
            try {
                serve(ctx, request);
            } finally {
                request.release();
            }
        }
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a client that went away mid-request, or garbage on the port: its connection goes, nothing else
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
