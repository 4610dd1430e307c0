package io.tunnelmq.server.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code java -jar jms-server.jar passwd FILE USER}: sets a user's password in a users file, hashed. The password
 * comes from standard input (its first line), or from a prompt without echo when run at a terminal — never from the
 * command line, where other users of the machine could read it. The file is created (readable by its owner only) if
 * missing; the user's line is replaced or added, every other line is kept as it was. The broker reads the file at
 * start.
 */
public final class PasswdCommand {
    /** Exit codes: done, the file could not be written, bad arguments or input. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_ARGUMENTS = 2;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar jms-server.jar passwd FILE USER",
            "",
            "Sets USER's password in the users file FILE (created if missing), hashed with PBKDF2-HMAC-SHA256.",
            "Reads the password from standard input (first line), or prompts for it at a terminal:",
            "  echo \"$PASSWORD\" | java -jar jms-server.jar passwd users.properties alice",
            "Then start the broker with --users FILE.",
            "");

    private PasswdCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args    {@code FILE USER}
     * @param in      where the password is read from when {@code console} is null
     * @param console the terminal to prompt on, or null
     * @return {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_BAD_ARGUMENTS}
     */
    public static int run(String[] args, InputStream in, Console console, PrintStream out, PrintStream err) {
        return run(args, in, console, out, err, PasswordHash.DEFAULT_ITERATIONS);
    }

    static int run(String[] args, InputStream in, Console console, PrintStream out, PrintStream err, int iterations) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(USAGE);
            return EXIT_OK;
        }
        if (args.length != 2 || args[1].isBlank()) {
            err.println("error: passwd needs a file and a user name");
            err.print(USAGE);
            return EXIT_BAD_ARGUMENTS;
        }
        Path file = Path.of(args[0]);
        String user = args[1];
        if (user.chars().anyMatch(Character::isISOControl)) {
            err.println("error: the user name must not contain control characters");
            return EXIT_BAD_ARGUMENTS;
        }
        char[] password;
        try {
            password = console != null ? prompt(console, user) : firstLine(in);
        } catch (IOException e) {
            err.println("error: cannot read the password from standard input: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return EXIT_BAD_ARGUMENTS;
        }
        if (password == null || password.length == 0) {
            err.println("error: no password given; pipe it in (echo \"$PASSWORD\" | ...) or type it at the prompt."
                    + " An empty password is not allowed");
            return EXIT_BAD_ARGUMENTS;
        }
        String hash;
        try {
            hash = PasswordHash.of(password, iterations, new SecureRandom()).toString();
        } finally {
            Arrays.fill(password, '\0');
        }
        try {
            boolean replaced = write(file, user, hash);
            out.println((replaced ? "updated" : "added") + " user '" + user + "' in " + file);
            return EXIT_OK;
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot write the users file " + file.toAbsolutePath() + ": " + e);
            return EXIT_FAILED;
        }
    }

    private static char[] prompt(Console console, String user) {
        char[] first = console.readPassword("Password for %s: ", user);
        char[] again = console.readPassword("Again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new IllegalStateException("the two passwords differ");
        }
        Arrays.fill(again, '\0');
        return first;
    }

    private static char[] firstLine(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine(); // without its line end, so "echo pw |" gives "pw"
        return line == null ? null : line.toCharArray();
    }

    /** Replaces or adds the user's line through a temporary file, so a crash never leaves half a file. */
    private static boolean write(Path file, String user, String hash) throws IOException {
        Path absolute = file.toAbsolutePath();
        String current = Files.exists(absolute) ? Files.readString(absolute, StandardCharsets.UTF_8) : "";
        UsersFileText.Edit edit = UsersFileText.put(current, user, hash);
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        try {
            ownerOnly(temp, absolute);
            Files.writeString(temp, edit.text(), StandardCharsets.UTF_8);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return edit.replaced();
    }

    /** A new file is readable by its owner only; an existing one keeps its permissions. */
    private static void ownerOnly(Path temp, Path target) throws IOException {
        if (!temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-------");
        Files.setPosixFilePermissions(temp, permissions);
    }
}
