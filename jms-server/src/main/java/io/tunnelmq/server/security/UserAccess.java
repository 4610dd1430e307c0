package io.tunnelmq.server.security;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.BrokerException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one connection's user may do, as the broker's current permissions say: each operation asks here first. The
 * answers are remembered until the permissions file changes. Confined to the connection's event loop.
 */
public final class UserAccess {
    /** The access of a broker that checks nothing. */
    public static final UserAccess OPEN = new UserAccess(null, () -> null);

    private final String user;
    private final Supplier<AccessRules> rules;
    private final Map<Question, Boolean> answers = new HashMap<>();
    private AccessRules answered;

    private record Question(Permission permission, AccessRules.Scope scope, String name) {
    }

    UserAccess(String user, Supplier<AccessRules> rules) {
        this.user = user;
        this.rules = rules;
    }

    /** Whether permissions are checked at all: false for an open broker, which lets everyone do everything. */
    public boolean enabled() {
        return rules.get() != null;
    }

    /**
     * Refuses an operation the user may not do.
     *
     * @throws BrokerException {@code NOT_AUTHORIZED}, naming the user, the destination and the permission
     */
    public void require(Permission permission, WireDestination destination) {
        if (!allowed(permission, destination)) {
            throw new BrokerException(ErrorCode.NOT_AUTHORIZED, who() + " may not " + permission.verb() + " "
                    + describe(destination) + " (permission " + permission.word()
                    + (destination.kind().isTemporary() ? " on temporary destinations)" : ")"));
        }
    }

    /**
     * Refuses a destination that does not exist yet, which the operation would create, if the user may not create it.
     *
     * @throws BrokerException {@code NOT_AUTHORIZED}
     */
    public void requireCreate(WireDestination destination) {
        if (!allowed(Permission.CREATE, destination)) {
            throw new BrokerException(ErrorCode.NOT_AUTHORIZED, describe(destination) + " does not exist yet and "
                    + who() + " may not create it (permission create)");
        }
    }

    /**
     * Refuses a new durable or shared subscription the user may not create on {@code topic}.
     *
     * @throws BrokerException {@code NOT_AUTHORIZED}
     */
    public void requireSubscription(WireDestination topic, String name, boolean durable) {
        if (!allowed(Permission.CREATE, topic)) {
            throw new BrokerException(ErrorCode.NOT_AUTHORIZED, who() + " may not create " + (durable ? "durable"
                    : "shared") + " subscription '" + name + "' on " + describe(topic) + " (permission create)");
        }
    }

    /**
     * Refuses to end durable subscription {@code name} on {@code topic} if the user may not create it there.
     *
     * @throws BrokerException {@code NOT_AUTHORIZED}
     */
    public void requireUnsubscribe(WireDestination topic, String name) {
        if (!allowed(Permission.CREATE, topic)) {
            throw new BrokerException(ErrorCode.NOT_AUTHORIZED, who() + " may not unsubscribe durable subscription '"
                    + name + "' on " + describe(topic) + " (permission create)");
        }
    }

    /**
     * Whether the user may {@code permission} on every queue (a rule for {@code >} of queues grants it): what an
     * operation needs that may touch any queue, such as listing or closing client connections. Always true for an open
     * broker.
     */
    public boolean allowedOnEveryQueue(Permission permission) {
        AccessRules current = rules.get();
        return current == null || current.allowsEverywhere(user, permission, AccessRules.Scope.QUEUE);
    }

    /** Whether the user may do this with the destination (always, on an open broker). */
    public boolean allows(Permission permission, WireDestination destination) {
        return allowed(permission, destination);
    }

    /**
     * Refuses an operation on the whole broker unless a rule grants the permission on every queue (pattern
     * {@code >}: {@code queue.>.admin = ROLE}).
     *
     * @param operation what the user asked for, for the message ("list connections")
     * @throws BrokerException {@code NOT_AUTHORIZED}, naming the user, the operation and the permission
     */
    public void requireOnEveryQueue(Permission permission, String operation) {
        AccessRules current = rules.get();
        if (current != null && !current.allowsEverywhere(user, permission, AccessRules.Scope.QUEUE)) {
            throw new BrokerException(ErrorCode.NOT_AUTHORIZED, who() + " may not " + operation + " (permission "
                    + permission.word() + " on every queue: a rule queue.>." + permission.word() + ")");
        }
    }

    private boolean allowed(Permission permission, WireDestination destination) {
        AccessRules current = rules.get();
        if (current == null) {
            return true;
        }
        if (current != answered) {
            answers.clear(); // the file changed: new rules for new operations
            answered = current;
        }
        AccessRules.Scope scope = switch (destination.kind()) {
            case QUEUE -> AccessRules.Scope.QUEUE;
            case TOPIC -> AccessRules.Scope.TOPIC;
            case TEMPORARY_QUEUE, TEMPORARY_TOPIC -> AccessRules.Scope.TEMPORARY;
        };
        Question question = new Question(permission, scope, destination.name());
        Boolean answer = answers.get(question);
        if (answer == null) {
            if (answers.size() >= 1024) {
                answers.clear(); // a connection that touches many destinations does not grow without bound
            }
            answer = current.allows(user, permission, scope, destination.name());
            answers.put(question, answer);
        }
        return answer;
    }

    private String who() {
        return user == null ? "an anonymous client" : "user '" + user + "'";
    }

    private static String describe(WireDestination d) {
        String kind = switch (d.kind()) {
            case QUEUE -> "queue";
            case TOPIC -> "topic";
            case TEMPORARY_QUEUE -> "temporary queue";
            case TEMPORARY_TOPIC -> "temporary topic";
        };
        return kind + " '" + d.name() + "'";
    }
}
