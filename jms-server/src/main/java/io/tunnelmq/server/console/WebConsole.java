package io.tunnelmq.server.console;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.http.HttpCall;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.http.HttpRoute;
import io.tunnelmq.server.http.HttpRoutes;
import io.tunnelmq.server.management.Management;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The broker's web console on its HTTP port: the page at {@code /}, its script and style under {@code /console/},
 * and the JSON it reads and the actions it posts under {@code /console/api/}, all over {@link Management}. Reads
 * need a logged-in visitor when the broker has users ({@link ConsoleSecurity}); actions are POSTs, guarded against
 * cross-site requests ({@link ConsoleGate}), and need the {@code admin} permission on the queue they touch. It answers
 * on a thread of its own: a login checks a deliberately slow password hash, and a storm of them must not hold up the
 * port's metrics.
 */
public final class WebConsole implements HttpRoute, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebConsole.class);
    static final String API = "/console/api/";

    private final StaticFiles files = new StaticFiles();
    private final ConsoleGate gate;
    private final ConsoleApi api;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("tmq-broker-console", true));

    WebConsole(Management management, ConsoleSecurity security) {
        Objects.requireNonNull(management, "management");
        this.gate = new ConsoleGate(Objects.requireNonNull(security, "security"),
                management.counters()::authenticationFailed, management::scopeOf);
        this.api = new ConsoleApi(management, gate);
    }

    /**
     * Serves the console on {@code routes}: {@code /} and everything under {@code /console/}.
     *
     * @return the console, to {@link #close()} with the broker (it ends the console's thread)
     */
    public static WebConsole serve(HttpRoutes routes, Management management, ConsoleSecurity security) {
        WebConsole console = new WebConsole(management, security);
        routes.add("/", console);
        routes.addTree("/console/", console);
        return console;
    }

    /** Ends every console session of {@code user}; returns how many. */
    public int endSessionsOf(String user) {
        return gate.endSessionsOf(user);
    }

    @Override
    public Executor executor() {
        return thread;
    }

    /** Ends the console's thread; a request that comes later is answered 503. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    @Override
    public HttpReply answer(HttpCall call) {
        String path = call.path();
        if (path.equals("/") || path.equals("/console/")) {
            return files.file("index.html");
        }
        if (!path.startsWith(API)) {
            HttpReply file = call.post() ? null : files.file(path.substring("/console/".length()));
            return file != null ? file : ConsoleReplies.error(404, "nothing at " + path + "; the console is at /");
        }
        String what = path.substring(API.length());
        if (call.post()) {
            String crossSite = ConsoleGate.crossSite(call);
            if (crossSite != null) {
                log.warn("console: {} {} from {} refused: {}", call.method(), path, call.remote().getHostAddress(),
                        crossSite);
                return ConsoleReplies.error(403, crossSite);
            }
            if (what.equals("login")) {
                return gate.login(call);
            }
            if (what.equals("logout")) {
                return gate.logout(call);
            }
        } else if (what.equals("session")) {
            return api.session(call);
        }
        ConsoleGate.Visitor visitor = gate.visitor(call);
        if (visitor == null) {
            return ConsoleReplies.error(401, "log in first: the broker has users, and the console lets in only them");
        }
        try {
            return call.post() ? api.act(what, visitor, call) : api.read(what, visitor, call);
        } catch (BrokerException e) {
            // NOT_AUTHORIZED from the permissions; anything else is the broker refusing in its state (a queue in use)
            return ConsoleReplies.error(e.code() == ErrorCode.NOT_AUTHORIZED ? 403 : 409, e.getMessage());
        } catch (IllegalArgumentException e) {
            return ConsoleReplies.error(400, e.getMessage());
        }
    }
}
