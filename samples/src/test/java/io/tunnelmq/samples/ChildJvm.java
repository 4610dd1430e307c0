package io.tunnelmq.samples;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a Java program in a JVM of its own, as a user would from a shell, and waits for it to end by itself. A
 * program that outlives its timeout (a deadlock, or a non-daemon thread keeping the JVM alive after main returned)
 * gets a thread dump into its output, then is killed.
 */
final class ChildJvm {
    /** Quick start-up for short programs: these options change nothing a program can observe. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private final String name;
    private final List<String> command = new ArrayList<>();
    private Path workDir = Path.of(".");
    private Duration timeout = Duration.ofSeconds(60);

    private ChildJvm(String name, List<String> jvmOptions) {
        this.name = name;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FAST_START);
        command.addAll(jvmOptions);
    }

    /** {@code java [options] -cp <classpath> <mainClass> [args]}. */
    static ChildJvm mainClass(String name, List<Path> classpath, List<String> jvmOptions, String mainClass,
                              List<String> args) {
        ChildJvm jvm = new ChildJvm(name, jvmOptions);
        jvm.command.add("-cp");
        jvm.command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        jvm.command.add(mainClass);
        jvm.command.addAll(args);
        return jvm;
    }

    /** {@code java [options] -jar <jar> [args]}. */
    static ChildJvm jar(String name, Path jar, List<String> jvmOptions, List<String> args) {
        ChildJvm jvm = new ChildJvm(name, jvmOptions);
        jvm.command.add("-jar");
        jvm.command.add(jar.toString());
        jvm.command.addAll(args);
        return jvm;
    }

    ChildJvm workDir(Path dir) {
        this.workDir = dir;
        return this;
    }

    ChildJvm timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Runs the program to its end (or its timeout); output goes to a file in {@code scratch}. */
    ProgramRun run(Path scratch) throws IOException, InterruptedException {
        Path output = Files.createTempFile(scratch, "output-", ".txt");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> dump = List.of();
        if (!exited) {
            dump = threadDump(process.pid());
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(output, StandardCharsets.UTF_8));
        if (!exited) {
            lines.add("[killed after " + timeout.toSeconds() + " s; its threads were:]");
            lines.addAll(dump);
        }
        return new ProgramRun(name, exited, exited ? process.exitValue() : -1, lines);
    }

    /** The threads of a live JVM (jcmd Thread.print), to see what kept it from ending. */
    private static List<String> threadDump(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of("[no thread dump: " + e + "]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("[no thread dump: interrupted]");
        }
    }
}
