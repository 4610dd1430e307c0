package io.tunnelmq.samples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The class path a program under test runs with: TunnelMQ's client and its runtime dependencies, as the build
 * wrote them to the file named by the system property {@value #PROPERTY} (maven-dependency-plugin
 * build-classpath), and nothing of the test class path.
 */
final class ProgramClasspath {
    static final String PROPERTY = "program.classpath.file";

    private ProgramClasspath() {
    }

    /** The client's runtime class path, in Maven's order. */
    static List<Path> client() {
        String file = System.getProperty(PROPERTY);
        if (file == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set: run these tests with "
                    + "Maven (mvn -pl samples -am verify), which writes the programs' class path first");
        }
        try {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
            return Arrays.stream(text.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the programs' class path from " + file, e);
        }
    }

    /** The Jakarta Messaging API jar alone: what a JMS program needs to compile. */
    static Path jmsApi() {
        return client().stream().filter(p -> p.getFileName().toString().startsWith("jakarta.jms-api"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no jakarta.jms-api jar in " + client()));
    }

    /** A directory the build unpacked, named by a system property Maven sets. */
    static Path directory(String property) {
        String dir = System.getProperty(property);
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("system property " + property + " does not name a directory ("
                    + dir + "): run these tests with Maven (mvn -pl samples -am verify), which unpacks the "
                    + "third-party programs into target/ first");
        }
        return Path.of(dir);
    }
}
