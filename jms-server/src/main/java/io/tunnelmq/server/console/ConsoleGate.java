package io.tunnelmq.server.console;

import io.tunnelmq.protocol.PeerText;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.http.HttpCall;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.security.LoginBackoff.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.function.Function;

/**
 * The console's door: who is logged in (a session cookie), login and logout with the tunnel's failed-login back-off,
 * what a visitor may do, and the guard against cross-site requests. A POST must carry the {@value #CSRF_HEADER}
 * header, which a page of another site cannot add without the broker's leave (a CORS preflight it never grants), and
 * its Origin, when the browser sends one, must be the console's own; the cookie is {@code SameSite=Strict} besides.
 */
final class ConsoleGate {
    private static final Logger log = LoggerFactory.getLogger(ConsoleGate.class);
    static final String COOKIE = "tmq_console";
    static final String CSRF_HEADER = "X-TunnelMQ-Console";

    /** A visitor the console let in: its user, or null on an open broker. */
    record Visitor(String user) {
    }

    private static final Visitor OPEN = new Visitor(null);

    private final ConsoleSecurity security;
    private final ConsoleSessions sessions = new ConsoleSessions();
    private final Runnable failures;
    /** The destination whose permissions cover a queue the console names (a subscription's: its topic). */
    private final Function<String, WireDestination> scope;

    /**
     * @param failures counts a failed login (the broker's {@code tunnelmq_auth_failures_total})
     * @param scope    the destination whose permissions cover a queue the console names ({@code Management.scopeOf})
     */
    ConsoleGate(ConsoleSecurity security, Runnable failures, Function<String, WireDestination> scope) {
        this.security = security;
        this.failures = failures;
        this.scope = scope;
    }

    boolean loginRequired() {
        return security.loginRequired();
    }

    /** The visitor behind a request, or null if it must log in first. */
    Visitor visitor(HttpCall call) {
        if (!security.loginRequired()) {
            return OPEN;
        }
        String user = sessions.user(cookie(call), security.users());
        return user == null ? null : new Visitor(user);
    }

    /** Why a POST must be refused as possibly cross-site, or null if it is the console's own. */
    static String crossSite(HttpCall call) {
        if (call.header(CSRF_HEADER) == null) {
            return "a console action needs the " + CSRF_HEADER + " header (the console's pages send it; a page of"
                    + " another site cannot)";
        }
        String origin = call.header("Origin");
        String host = call.header("Host");
        if (origin != null && !origin.equals("null") && host != null && !host.equalsIgnoreCase(hostOf(origin))) {
            return "a console action from " + origin + " is refused: only the console's own pages (" + host
                    + ") may act";
        }
        return null;
    }

    /** POST login: {@code user} and {@code password} form fields; sets the session cookie. */
    HttpReply login(HttpCall call) {
        if (!security.loginRequired()) {
            return ConsoleReplies.json(new Json().beginObject().field("user", (String) null).endObject());
        }
        String user = call.parameter("user");
        String password = call.parameter("password");
        Block blocked = security.backoff().blocked(call.remote(), user);
        if (blocked.millis() > 0) {
            return ConsoleReplies.error(429, blocked.refusal(call.remote(), user)).delayed(blocked.millis());
        }
        long version = security.users().version(); // before the check: a change during it ends the session it makes
        if (user == null || user.isEmpty() || password == null || !security.users().accepts(user, password)) {
            Block delay = security.backoff().failed(call.remote(), user);
            failures.run();
            // never the password: only who tried, from where; a guesser's later tries only at DEBUG
            if (delay.failures() <= 1) {
                log.warn("console login refused for user '{}' from {}", PeerText.of(user),
                        call.remote().getHostAddress());
            } else {
                log.debug("console login refused for user '{}' from {} ({})", PeerText.of(user),
                        call.remote().getHostAddress(), delay.heldBack());
            }
            return ConsoleReplies.error(401, "wrong user name or password").delayed(delay.millis());
        }
        String token = sessions.open(user, version);
        log.debug("console login of user '{}' from {}", user, call.remote().getHostAddress());
        return ConsoleReplies.json(new Json().beginObject().field("user", user).endObject())
                .withHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
    }

    /** Ends every console session of {@code user} (the admin command's disconnect); returns how many. */
    int endSessionsOf(String user) {
        return sessions.closeAllOf(user);
    }

    /** POST logout: forgets the session. */
    HttpReply logout(HttpCall call) {
        sessions.close(cookie(call));
        return ConsoleReplies.json(new Json().beginObject().endObject())
                .withHeader("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /**
     * Refuses an operation on {@code queue} the visitor may not administer.
     *
     * @throws BrokerException {@code NOT_AUTHORIZED}, naming the user, queue and permission
     */
    void requireAdmin(Visitor visitor, String queue) {
        security.access().forUser(visitor.user()).require(Permission.ADMIN, scope.apply(queue));
    }

    /** Whether the visitor may administer {@code destination} (a dead letter's original destination). */
    boolean mayAdminister(Visitor visitor, WireDestination destination) {
        return security.access().forUser(visitor.user()).allows(Permission.ADMIN, destination);
    }

    /** Whether the visitor may administer {@code queue} (to show or hide its buttons). */
    boolean mayAdminister(Visitor visitor, String queue) {
        return mayAdminister(visitor, scope.apply(queue));
    }

    /** Whether the visitor may see {@code queue}'s messages: the browse or the admin permission on it. */
    boolean mayBrowse(Visitor visitor, String queue) {
        WireDestination destination = scope.apply(queue);
        return security.access().forUser(visitor.user()).allows(Permission.BROWSE, destination)
                || mayAdminister(visitor, destination);
    }

    /** Whether the visitor administers every queue, as listing and closing connections need. */
    boolean administersEveryQueue(Visitor visitor) {
        return security.access().forUser(visitor.user()).allowedOnEveryQueue(Permission.ADMIN);
    }

    private static String cookie(HttpCall call) {
        String header = call.header("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    private static String hostOf(String origin) {
        try {
            URI uri = URI.create(origin);
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
