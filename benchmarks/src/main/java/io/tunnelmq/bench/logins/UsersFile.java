package io.tunnelmq.bench.logins;

import io.tunnelmq.server.security.PasswdCommand;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A users file for login storms: users {@code user0} … {@code user<n-1>}, all with one password. The broker's own
 * {@code passwd} hashes it once (its default iterations, so every check costs what a real one does) and every user
 * gets that line's hash: hashing a thousand users one by one would take minutes, and a shared salt changes nothing the
 * broker does per login.
 */
final class UsersFile {
    static final String PASSWORD = "storm-password";

    private UsersFile() {
    }

    /** The name of user number {@code i}. */
    static String user(int i) {
        return "user" + i;
    }

    /** Writes {@code users} users into {@code file} (replaced). */
    static Path write(Path file, int users) throws IOException {
        Path one = Files.createTempFile(file.toAbsolutePath().getParent(), "one-user", ".properties");
        try {
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int code = PasswdCommand.run(new String[]{one.toString(), user(0)},
                    new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)), null,
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(errors));
            if (code != 0) {
                throw new IllegalStateException("passwd failed: " + errors.toString(StandardCharsets.UTF_8));
            }
            String prefix = user(0) + "=";
            String hash = Files.readAllLines(one).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("passwd wrote no line for " + user(0)));
            List<String> lines = new ArrayList<>(users);
            for (int i = 0; i < users; i++) {
                lines.add(user(i) + "=" + hash);
            }
            return Files.write(file, lines);
        } finally {
            Files.deleteIfExists(one);
        }
    }
}
