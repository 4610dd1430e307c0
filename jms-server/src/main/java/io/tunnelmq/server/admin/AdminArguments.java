package io.tunnelmq.server.admin;

import io.tunnelmq.protocol.frame.AdminOperation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin command's arguments: options ({@code --url U}, {@code --url=U}) anywhere, then the operation and its
 * operands.
 *
 * @param url       the broker URL as given
 * @param user      who to log in as, or null
 * @param password  the password, or null (from {@code --password}, else {@value AdminCommand#PASSWORD_VARIABLE})
 * @param json      print JSON instead of a table
 * @param operation what to do
 * @param arguments the request's arguments
 */
record AdminArguments(String url, String user, String password, boolean json, AdminOperation operation,
                      Map<String, String> arguments) {
    private static final Set<String> VALUED = Set.of("url", "user", "password", "selector", "max");
    private static final Set<String> FLAGS = Set.of("json", "copy", "help");

    /** The arguments asked for help: print the usage. */
    static final AdminArguments HELP = new AdminArguments(null, null, null, false, null, Map.of());

    /**
     * @param environment where {@value AdminCommand#PASSWORD_VARIABLE} is looked up
     * @throws IllegalArgumentException saying what is wrong
     */
    static AdminArguments parse(String[] args, Map<String, String> environment) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                words.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                options.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                options.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        if (options.containsKey("help") || words.isEmpty() || words.get(0).equals("help")) {
            return HELP;
        }
        AdminOperation operation = operation(words.get(0));
        List<String> operands = words.subList(1, words.size());
        Map<String, String> arguments = new LinkedHashMap<>();
        switch (operation) {
            case QUEUES, CONNECTIONS, PROBLEMS -> operands(operation, operands, 0, "");
            case BROWSE, PURGE, DELETE, REPLAY_DLQ -> {
                operands(operation, operands, 1, " QUEUE");
                arguments.put(AdminOperation.QUEUE, operands.get(0));
            }
            case MOVE -> {
                operands(operation, operands, 2, " FROM TO");
                arguments.put(AdminOperation.FROM, operands.get(0));
                arguments.put(AdminOperation.TO, operands.get(1));
            }
            case CLOSE -> {
                operands(operation, operands, 1, " ID");
                arguments.put(AdminOperation.ID, operands.get(0));
            }
            case DISCONNECT -> {
                operands(operation, operands, 1, " USER");
                arguments.put(AdminOperation.USER, operands.get(0));
            }
        }
        allow(operation, options, "selector", Set.of(AdminOperation.BROWSE, AdminOperation.MOVE,
                AdminOperation.REPLAY_DLQ));
        allow(operation, options, "max", Set.of(AdminOperation.BROWSE));
        allow(operation, options, "copy", Set.of(AdminOperation.MOVE));
        if (options.containsKey("selector")) {
            arguments.put(AdminOperation.SELECTOR, options.get("selector"));
        }
        if (options.containsKey("max")) {
            arguments.put(AdminOperation.MAX, options.get("max"));
        }
        if (options.containsKey("copy")) {
            arguments.put(AdminOperation.COPY, "true");
        }
        String password = options.containsKey("password") ? options.get("password")
                : environment.get(AdminCommand.PASSWORD_VARIABLE);
        return new AdminArguments(options.get("url"), options.get("user"), password, options.containsKey("json"),
                operation, arguments);
    }

    private static AdminOperation operation(String word) {
        for (AdminOperation o : AdminOperation.values()) {
            if (o.word().equals(word)) {
                return o;
            }
        }
        List<String> known = new ArrayList<>();
        for (AdminOperation o : AdminOperation.values()) {
            known.add(o.word());
        }
        throw new IllegalArgumentException("unknown command '" + word + "'; the admin commands are "
                + String.join(", ", known));
    }

    private static void operands(AdminOperation operation, List<String> operands, int wanted, String shape) {
        if (operands.size() != wanted) {
            throw new IllegalArgumentException(operation.word() + " takes " + (wanted == 0 ? "no operands"
                    : wanted == 1 ? "one operand" : wanted + " operands") + ": admin " + operation.word() + shape
                    + (operands.isEmpty() ? "" : " (got " + String.join(" ", operands) + ")"));
        }
    }

    private static void allow(AdminOperation operation, Map<String, String> options, String option,
                              Set<AdminOperation> allowed) {
        if (options.containsKey(option) && !allowed.contains(operation)) {
            throw new IllegalArgumentException("--" + option + " does not apply to " + operation.word());
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "AdminArguments[url=" + (url == null ? null : AdminUrl.safe(url)) + ", user=" + user + ", password="
                + (password == null ? "none" : "****") + ", json=" + json + ", operation=" + operation
                + ", arguments=" + arguments + "]";
    }
}
