package io.tunnelmq.server.admin;

import io.tunnelmq.protocol.frame.AdminReply;
import io.tunnelmq.server.management.AdminTable;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@code java -jar jms-server.jar admin --url tmq://host:port [--user U --password P] [--json] COMMAND}: runs one
 * management operation on a broker over its admin channel and prints the answer as an aligned table, or JSON with
 * {@code --json}. Exit status 0 on success; 1 with a one-line error on standard error otherwise. The password may
 * come from {@value #PASSWORD_VARIABLE} instead of the command line (where {@code ps} would show it); it is never
 * printed.
 */
public final class AdminCommand {
    /** Exit codes. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    /** The environment variable the password is read from when {@code --password} is not given. */
    public static final String PASSWORD_VARIABLE = "TUNNELMQ_PASSWORD";
    /** How long one operation may take (a move of a large queue waits for the store). */
    static final long REQUEST_MILLIS = 120_000;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar jms-server.jar admin --url tmq://HOST:PORT [--user USER --password PW] [--json] COMMAND",
            "",
            "Commands:",
            "  queues                                   queues, topics and subscriptions with their figures",
            "  browse QUEUE [--selector S] [--max N]    messages (locked ones with owner and time left); N <= 10000",
            "  purge QUEUE                              remove every waiting message",
            "  delete QUEUE                             delete a queue, or unsubscribe a durable subscription",
            "                                           (topic:clientId.name); it must have no consumers",
            "  move FROM TO [--selector S] [--copy]     move (or copy) waiting messages to another queue",
            "  replay-dlq DLQ [--selector S]            send dead letters back to their original destinations",
            "  connections                              open client connections",
            "  close ID                                 close a client connection (its locks are given back)",
            "  disconnect USER                          close every connection and console session of USER (after",
            "                                           revoking its password)",
            "  problems                                 what to fix: a users, permissions or TLS file the broker",
            "                                           refused, a certificate near its end",
            "",
            "The password may come from the " + PASSWORD_VARIABLE + " environment variable instead of --password.",
            "tmqs://HOST:PORT?trustStore=FILE&trustStorePassword=PW connects with TLS (also keyStore, keyStorePassword,",
            "verifyHost=false). With security on, the user needs the admin permission (connections, close, disconnect and",
            "problems: on every queue).",
            "");

    private AdminCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args        what follows {@code admin} on the command line
     * @param environment the process environment (for {@value #PASSWORD_VARIABLE})
     * @return {@link #EXIT_OK} or {@link #EXIT_FAILED}
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        AdminArguments arguments;
        AdminUrl url;
        try {
            arguments = AdminArguments.parse(args, environment);
            if (arguments == AdminArguments.HELP) {
                out.print(USAGE);
                return EXIT_OK;
            }
            url = AdminUrl.parse(arguments.url());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + " (java -jar jms-server.jar admin --help shows the usage)");
            return EXIT_FAILED;
        }
        String user = arguments.user() != null ? arguments.user() : url.option("user");
        String password = arguments.password() != null ? arguments.password() : url.option("password");
        try (AdminClient client = AdminClient.connect(url, user, password)) {
            AdminReply reply = client.request(arguments.operation(), arguments.arguments(), REQUEST_MILLIS);
            AdminTable table = new AdminTable(reply.columns(), reply.rows());
            if (arguments.json()) {
                out.println(table.toJson());
            } else {
                out.print(table.render());
            }
            out.flush();
            return EXIT_OK;
        } catch (AdminException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }
}
