package io.tunnelmq.server.security;

import java.nio.file.Path;

/** A permissions file that cannot be used: the message names the file, the line and what is wrong. */
public final class PermissionsFileException extends RuntimeException {
    PermissionsFileException(Path file, int line, String problem) {
        super("permissions file " + file + (line > 0 ? " line " + line : "") + ": " + problem);
    }

    PermissionsFileException(Path file, String problem, Throwable cause) {
        super("permissions file " + file + ": " + problem, cause);
    }
}
