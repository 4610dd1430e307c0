package io.tunnelmq.server;

import io.tunnelmq.server.admin.AdminCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code java -jar jms-server.jar admin ...} in this JVM, as the broker's command line runs it: its exit
 * code and what it printed.
 */
record AdminRun(int code, String out, String err) {

    /** Runs {@code admin --url <url> args...} with {@code environment} (where the password may be). */
    static AdminRun against(String url, Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url));
        all.addAll(List.of(args));
        return of(environment, all.toArray(String[]::new));
    }

    /** Runs {@code admin args...} with {@code environment}. */
    static AdminRun of(Map<String, String> environment, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = AdminCommand.run(args, environment, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        return new AdminRun(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }
}
