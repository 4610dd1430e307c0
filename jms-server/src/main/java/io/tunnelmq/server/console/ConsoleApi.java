package io.tunnelmq.server.console;

import io.tunnelmq.server.http.HttpCall;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.management.ConnectionView;
import io.tunnelmq.server.management.DestinationView;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.management.MessageView;
import io.tunnelmq.server.queue.DeadLetters;
import io.tunnelmq.server.queue.QueueFigures;

import java.util.List;
import java.util.Optional;

/**
 * What the console's pages read (GET), each over {@link Management}; the actions they post are
 * {@link ConsoleActions}. Every answer says what the visitor may do, so the page shows only the buttons that will
 * work; the check that counts is made again when an action arrives.
 */
final class ConsoleApi {
    /** The most messages a queue's page shows. */
    static final int MAX_MESSAGES = 200;

    private final Management management;
    private final ConsoleGate gate;
    private final ConsoleActions actions;

    ConsoleApi(Management management, ConsoleGate gate) {
        this.management = management;
        this.gate = gate;
        this.actions = new ConsoleActions(management, gate);
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
            case "messages" -> messages(visitor, required(call, "queue"), call.parameter("selector"),
                    count(call.parameter("max")));
            case "connections" -> connections(visitor);
            case "problems" -> problems(visitor);
            default -> ConsoleReplies.error(404, "the console has no '" + what + "' to show");
        };
    }

    HttpReply act(String what, ConsoleGate.Visitor visitor, HttpCall call) {
        return actions.act(what, visitor, call);
    }

    /**
     * Every queue and topic subscription with its figures, in name order (a subscription by its
     * {@link DestinationView#name()}, {@code kind} saying which), and the broker's time (the page computes throughput
     * from the totals between two answers). Temporary queues and the subscriptions of temporary topics are left out:
     * they come and go with their clients by the thousand. Over a store shared with other brokers each queue and
     * stored subscription has {@code stored} too (its messages there, claimed or not), and the queues only the store
     * holds messages of are listed with nothing held here.
     */
    private HttpReply queues(ConsoleGate.Visitor visitor) {
        Json json = new Json().beginObject().field("time", System.currentTimeMillis()).name("queues").beginArray();
        for (DestinationView d : management.destinations()) {
            if (d.temporary() || d.figures() == null) {
                continue;
            }
            json.beginObject().field("name", d.name()).field("kind", d.kind());
            QueueFiguresJson.write(json, d.figures());
            management.storedMessages(d).ifPresent(n -> json.field("stored", n));
            json.field("admin", gate.mayAdminister(visitor, d.scope())).endObject();
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
        management.storedMessages(name).ifPresent(n -> json.field("stored", n));
        json.field("admin", gate.mayAdminister(visitor, name))
                .field("deadLetterQueue", name.startsWith(DeadLetters.QUEUE_PREFIX));
        return ConsoleReplies.json(json.endObject());
    }

    /**
     * A queue's first messages in delivery order, locked ones with their owner and time left; {@code more} if cut.
     * Their bodies and properties are the messages' content: seeing them needs the browse (or admin) permission on
     * the queue, as a QueueBrowser does.
     */
    private HttpReply messages(ConsoleGate.Visitor visitor, String queue, String selector, int max) {
        if (management.queueFigures(queue).isEmpty()) {
            return noSuchQueue(queue);
        }
        if (!gate.mayBrowse(visitor, queue)) {
            return ConsoleReplies.error(403, ConsoleActions.who(visitor) + " may not see the messages of queue '"
                    + queue + "': that needs the browse or admin permission on it");
        }
        List<MessageView> found = management.browse(queue, selector, max + 1);
        long now = System.currentTimeMillis();
        Json json = new Json().beginObject().field("more", found.size() > max).name("messages").beginArray();
        for (MessageView m : found.subList(0, Math.min(max, found.size()))) {
            json.beginObject()
                    .field("id", m.messageId())
                    .field("type", m.type())
                    .field("state", m.state())
                    .field("owner", m.lockOwner())
                    .field("lockRemainingMillis", m.lockMillisLeft())
                    .field("deliveryCount", m.deliveryCount())
                    .field("priority", m.priority())
                    .field("ageMillis", m.timestamp() == 0 ? 0 : Math.max(0, now - m.timestamp()))
                    .field("persistent", m.persistent())
                    .field("bodySize", m.bodySize())
                    .field("body", m.bodyPreview())
                    .field("properties", m.properties())
                    .endObject();
        }
        return ConsoleReplies.json(json.endArray().endObject());
    }

    /** The open client connections: they may use any queue, so seeing them needs admin on every queue. */
    private HttpReply connections(ConsoleGate.Visitor visitor) {
        if (!gate.administersEveryQueue(visitor)) {
            return ConsoleReplies.error(403, ConsoleActions.who(visitor) + " may not see the connections: that needs"
                    + " the admin permission on every queue (queue.>.admin in the permissions file)");
        }
        Json json = new Json().beginObject().name("connections").beginArray();
        for (ConnectionView c : management.openConnections()) {
            json.beginObject()
                    .field("id", Long.toString(c.id()))
                    .field("address", c.address())
                    .field("user", c.user())
                    .field("clientId", c.clientId())
                    .field("sessions", c.sessions())
                    .field("consumers", c.consumers())
                    .field("bytesIn", c.bytesIn())
                    .field("bytesOut", c.bytesOut())
                    .field("openedAt", c.openedAtMillis())
                    .endObject();
        }
        return ConsoleReplies.json(json.endArray().endObject());
    }

    /**
     * What an operator must fix ({@link io.tunnelmq.server.management.BrokerProblems}): a file refused names its path
     * and the line at fault, so only a visitor who administers every queue (the operator) is told; anyone else gets
     * an empty list.
     */
    private HttpReply problems(ConsoleGate.Visitor visitor) {
        Json json = new Json().beginObject().name("problems").beginArray();
        if (gate.administersEveryQueue(visitor)) {
            management.problems().now().forEach(json::value);
        }
        return ConsoleReplies.json(json.endArray().endObject());
    }

    static HttpReply noSuchQueue(String name) {
        return ConsoleReplies.error(404, "there is no queue '" + name + "'; the queue table lists them");
    }

    static String required(HttpCall call, String name) {
        String value = call.parameter(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the parameter '" + name + "' is missing");
        }
        return value;
    }

    private static int count(String max) {
        if (max == null) {
            return 50;
        }
        try {
            return Math.max(1, Math.min(MAX_MESSAGES, Integer.parseInt(max)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("max must be a number of messages, was '" + max + "'");
        }
    }
}
