package io.tunnelmq.server.console;

import io.tunnelmq.server.http.HttpCall;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.QueueFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The console's JSON: what its pages read (GET) and the actions they post, each over {@link Management}. Every
 * answer says what the visitor may do, so the page shows only the buttons that will work; the check that counts is
 * made again here when an action arrives.
 */
final class ConsoleApi {
    private static final Logger log = LoggerFactory.getLogger(ConsoleApi.class);

    private final Management management;
    private final Supplier<Collection<String>> queueNames;
    private final ConsoleGate gate;

    ConsoleApi(Management management, Supplier<Collection<String>> queueNames, ConsoleGate gate) {
        this.management = management;
        this.queueNames = queueNames;
        this.gate = gate;
    }

    /** GET session: whether the console asks for a login, and who is logged in. */
    HttpReply session(HttpCall call) {
        ConsoleGate.Visitor visitor = gate.visitor(call);
        return ConsoleReplies.json(new Json().beginObject()
                .field("loginRequired", gate.loginRequired())
                .field("loggedIn", visitor != null)
                .field("user", visitor == null ? null : visitor.user())
                .endObject());
    }

    HttpReply read(String what, ConsoleGate.Visitor visitor, HttpCall call) {
        return switch (what) {
            case "queues" -> queues(visitor);
            case "queue" -> queue(visitor, required(call, "name"));
            default -> ConsoleReplies.error(404, "the console has no '" + what + "' to show");
        };
    }

    HttpReply act(String what, ConsoleGate.Visitor visitor, HttpCall call) {
        return switch (what) {
            case "purge" -> purge(visitor, required(call, "queue"));
            default -> ConsoleReplies.error(404, "the console has no action '" + what + "'");
        };
    }

    /** Every queue with its figures, in name order, and the broker's time (for the page's throughput chart). */
    private HttpReply queues(ConsoleGate.Visitor visitor) {
        Json json = new Json().beginObject().field("time", System.currentTimeMillis()).name("queues").beginArray();
        for (String name : new TreeSet<>(queueNames.get())) {
            Optional<QueueFigures> figures = management.queueFigures(name);
            if (figures.isEmpty()) {
                continue; // deleted since the list was taken
            }
            json.beginObject().field("name", name);
            QueueFiguresJson.write(json, figures.get());
            json.field("admin", gate.mayAdminister(visitor, name)).endObject();
        }
        return ConsoleReplies.json(json.endArray().endObject());
    }

    private HttpReply queue(ConsoleGate.Visitor visitor, String name) {
        Optional<QueueFigures> figures = management.queueFigures(name);
        if (figures.isEmpty()) {
            return noSuchQueue(name);
        }
        Json json = new Json().beginObject().field("time", System.currentTimeMillis()).field("name", name);
        QueueFiguresJson.write(json, figures.get());
        json.field("admin", gate.mayAdminister(visitor, name))
                .field("deadLetterQueue", name.startsWith(DeadLetters.QUEUE_PREFIX));
        return ConsoleReplies.json(json.endObject());
    }

    private HttpReply purge(ConsoleGate.Visitor visitor, String queue) {
        gate.requireAdmin(visitor, queue);
        if (management.queueFigures(queue).isEmpty()) {
            return noSuchQueue(queue);
        }
        int purged = management.purge(queue);
        log.info("console: {} purged queue '{}' ({} message(s))", who(visitor), queue, purged);
        return ConsoleReplies.json(new Json().beginObject().field("purged", purged).endObject());
    }

    private static HttpReply noSuchQueue(String name) {
        return ConsoleReplies.error(404, "there is no queue '" + name + "'; the queue table lists them");
    }

    private static String required(HttpCall call, String name) {
        String value = call.parameter(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the parameter '" + name + "' is missing");
        }
        return value;
    }

    static String who(ConsoleGate.Visitor visitor) {
        return visitor.user() == null ? "a visitor (open broker)" : "user '" + visitor.user() + "'";
    }
}
