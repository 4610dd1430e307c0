package io.tunnelmq.server.management;

import io.tunnelmq.protocol.frame.AdminOperation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the operations of the admin channel ({@link AdminOperation}) on {@link Management}, after checking the
 * {@code admin} permission: a queue's operations need it on that queue (a move on both queues), listing shows only
 * the destinations the user may administer, and connections — which span every queue — need it on every queue.
 * Blocks while moved messages are stored: run it off the event loops.
 */
public final class AdminCommands {
    /** Messages a browse shows when the request does not say. */
    public static final int DEFAULT_BROWSE_MAX = 100;
    /** The most messages one browse shows, whatever the request asks for. */
    public static final int MAX_BROWSE_MAX = 10_000;

    private final Management management;

    public AdminCommands(Management management) {
        this.management = Objects.requireNonNull(management, "management");
    }

    /**
     * @throws IllegalArgumentException for a missing or bad argument, no such queue, an invalid selector
     * @throws io.tunnelmq.server.destination.BrokerException {@code NOT_AUTHORIZED} without the permission, or the
     *                                                         broker's refusal (deleting a queue with consumers)
     */
    public AdminTable run(AdminOperation operation, Map<String, String> arguments, AdminAuthority authority) {
        String word = operation.word();
        return switch (operation) {
            case QUEUES -> {
                List<DestinationView> shown = new ArrayList<>();
                for (DestinationView v : management.destinations()) {
                    if (authority.mayAdminister(v.scope())) {
                        shown.add(v);
                    }
                }
                yield AdminTables.destinations(shown, management::storedMessages);
            }
            case BROWSE -> {
                String queue = queue(arguments, AdminOperation.QUEUE, authority, word);
                yield AdminTables.messages(management.browse(queue, arguments.get(AdminOperation.SELECTOR),
                        max(arguments.get(AdminOperation.MAX))));
            }
            case PURGE -> AdminTables.count("purged",
                    management.purge(queue(arguments, AdminOperation.QUEUE, authority, word)));
            case DELETE -> {
                String queue = queue(arguments, AdminOperation.QUEUE, authority, word);
                management.delete(queue);
                yield AdminTable.of(List.of("deleted"), List.of(queue));
            }
            case MOVE -> {
                String from = queue(arguments, AdminOperation.FROM, authority, word);
                String to = queue(arguments, AdminOperation.TO, authority, word);
                boolean copy = Boolean.parseBoolean(arguments.get(AdminOperation.COPY));
                yield AdminTables.moved(copy ? "copied" : "moved",
                        management.moveMessages(from, to, arguments.get(AdminOperation.SELECTOR), copy));
            }
            case REPLAY_DLQ -> AdminTables.moved("replayed", management.replay(
                    queue(arguments, AdminOperation.QUEUE, authority, word), arguments.get(AdminOperation.SELECTOR),
                    authority::mayAdminister));
            case CONNECTIONS -> {
                authority.requireAdministerAll("list connections");
                yield AdminTables.connections(management.openConnections());
            }
            case CLOSE -> {
                authority.requireAdministerAll("close a connection");
                long id = id(arguments.get(AdminOperation.ID));
                if (!management.closeConnection(id)) {
                    throw new IllegalArgumentException("there is no open connection " + id
                            + "; the admin command 'connections' lists them");
                }
                yield AdminTable.of(List.of("closed"), List.of(Long.toString(id)));
            }
            case DISCONNECT -> {
                authority.requireAdministerAll("close a user's connections");
                String user = arguments.get(AdminOperation.USER);
                if (user == null || user.isBlank()) {
                    throw new IllegalArgumentException("disconnect needs a user name (argument 'user')");
                }
                Disconnected ended = management.disconnect(user);
                if (ended.nothing()) {
                    throw new IllegalArgumentException("user '" + user + "' has no open connection or console"
                            + " session; the admin command 'connections' lists the connections");
                }
                List<List<String>> closed = new ArrayList<>();
                ended.connections().forEach(id -> closed.add(List.of(Long.toString(id))));
                if (ended.consoleSessions() > 0) {
                    closed.add(List.of(ended.consoleSessions() + " console session(s)"));
                }
                yield new AdminTable(List.of("closed"), closed);
            }
            case PROBLEMS -> {
                // a refused file is named with the line at fault: the operator's business, as connections are
                authority.requireAdministerAll("list the broker's problems");
                yield new AdminTable(List.of("problem"), management.problems().now().stream().map(List::of).toList());
            }
        };
    }

    private String queue(Map<String, String> arguments, String name, AdminAuthority authority, String operation) {
        String queue = arguments.get(name);
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException(operation + " needs a queue name (argument '" + name + "')");
        }
        authority.requireAdminister(management.scopeOf(queue), operation);
        return queue;
    }

    private static int max(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_BROWSE_MAX;
        }
        try {
            int max = Integer.parseInt(text.trim());
            if (max < 1) {
                throw new IllegalArgumentException("--max must be at least 1, was " + max);
            }
            return Math.min(max, MAX_BROWSE_MAX);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max must be a whole number, was '" + text + "'");
        }
    }

    private static long id(String text) {
        try {
            return Long.parseLong(Objects.requireNonNullElse(text, "").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a connection id is a number (the admin command 'connections' lists"
                    + " them), not '" + text + "'");
        }
    }
}
