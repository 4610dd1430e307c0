package io.tunnelmq.server.console;

import io.tunnelmq.server.http.HttpCall;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.management.Management;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's actions (POST), each over {@link Management} after the visitor's {@code admin} permission: on the
 * queue for purge, delete and replay, on both queues for a move, on every queue for closing a connection (it may
 * hold locks on any). Each is logged with who did it.
 */
final class ConsoleActions {
    private static final Logger log = LoggerFactory.getLogger(ConsoleActions.class);

    private final Management management;
    private final ConsoleGate gate;

    ConsoleActions(Management management, ConsoleGate gate) {
        this.management = management;
        this.gate = gate;
    }

    HttpReply act(String what, ConsoleGate.Visitor visitor, HttpCall call) {
        return switch (what) {
            case "purge" -> purge(visitor, ConsoleApi.required(call, "queue"));
            case "delete" -> delete(visitor, ConsoleApi.required(call, "queue"));
            case "replay" -> replay(visitor, ConsoleApi.required(call, "queue"), call.parameter("selector"));
            case "move" -> move(visitor, call);
            case "close" -> close(visitor, ConsoleApi.required(call, "id"));
            default -> ConsoleReplies.error(404, "the console has no action '" + what + "'");
        };
    }

    private HttpReply purge(ConsoleGate.Visitor visitor, String queue) {
        gate.requireAdmin(visitor, queue);
        if (management.queueFigures(queue).isEmpty()) {
            return ConsoleApi.noSuchQueue(queue);
        }
        int purged = management.purge(queue);
        log.info("console: {} purged queue '{}' ({} message(s))", who(visitor), queue, purged);
        return ConsoleReplies.json(new Json().beginObject().field("purged", purged).endObject());
    }

    private HttpReply delete(ConsoleGate.Visitor visitor, String queue) {
        gate.requireAdmin(visitor, queue);
        if (management.queueFigures(queue).isEmpty()) {
            return ConsoleApi.noSuchQueue(queue);
        }
        management.delete(queue);
        log.info("console: {} deleted '{}'", who(visitor), queue);
        return ConsoleReplies.json(new Json().beginObject().field("deleted", queue).endObject());
    }

    private HttpReply replay(ConsoleGate.Visitor visitor, String dlq, String selector) {
        gate.requireAdmin(visitor, dlq);
        if (management.queueFigures(dlq).isEmpty()) {
            return ConsoleApi.noSuchQueue(dlq);
        }
        int replayed = management.replay(dlq, blankToNull(selector), target -> gate.mayAdminister(visitor, target))
                .moved();
        log.info("console: {} replayed {} dead letter(s) of '{}'", who(visitor), replayed, dlq);
        return ConsoleReplies.json(new Json().beginObject().field("replayed", replayed).endObject());
    }

    private HttpReply move(ConsoleGate.Visitor visitor, HttpCall call) {
        String from = ConsoleApi.required(call, "from");
        String to = ConsoleApi.required(call, "to");
        boolean copy = "true".equals(call.parameter("copy"));
        gate.requireAdmin(visitor, from);
        gate.requireAdmin(visitor, to);
        int moved = management.move(from, to, blankToNull(call.parameter("selector")), copy);
        log.info("console: {} {} {} message(s) from '{}' to '{}'", who(visitor), copy ? "copied" : "moved", moved,
                from, to);
        return ConsoleReplies.json(new Json().beginObject().field("moved", moved).endObject());
    }

    private HttpReply close(ConsoleGate.Visitor visitor, String id) {
        if (!gate.administersEveryQueue(visitor)) {
            return ConsoleReplies.error(403, who(visitor) + " may not close connections: that needs the admin"
                    + " permission on every queue (queue.>.admin in the permissions file)");
        }
        long number;
        try {
            number = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a connection id is a number, was '" + id + "'");
        }
        if (!management.closeConnection(number)) {
            return ConsoleReplies.error(404, "there is no open connection " + id + "; it may have closed already");
        }
        log.info("console: {} closed connection {}", who(visitor), id);
        return ConsoleReplies.json(new Json().beginObject().field("closed", id).endObject());
    }

    static String who(ConsoleGate.Visitor visitor) {
        return visitor.user() == null ? "a visitor (open broker)" : "user '" + visitor.user() + "'";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
