package io.tunnelmq.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner of third-party programs: how a hung program is reported. */
@Timeout(60)
class ChildJvmTest {
    @TempDir
    Path scratch;

    @Test
    void aProgramWhoseNonDaemonThreadOutlivesMainIsKilledAndItsThreadsShown() throws Exception {
        ProgramRun run = ChildJvm.mainClass("NeverEnds", testClasses(), List.of(), NeverEnds.class.getName(),
                List.of()).timeout(Duration.ofSeconds(3)).run(scratch);
        assertThat(run.exited()).isFalse();
        assertThat(run.exitCode()).isEqualTo(-1);
        assertThat(run.lines()).contains("main returned", "[killed after 3 s; its threads were:]")
                .anyMatch(l -> l.contains("\"" + NeverEnds.THREAD + "\""));
        assertThat(run.transcript()).contains("NeverEnds did NOT exit within its timeout");
    }

    @Test
    void exitStatusAndOutputAreKept() throws Exception {
        ProgramRun run = ChildJvm.mainClass("NeverEnds exit", testClasses(), List.of(), NeverEnds.class.getName(),
                List.of("exit", "7")).run(scratch);
        assertThat(run.exited()).isTrue();
        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.lines()).containsExactly("exiting with 7");
        assertThat(run.transcript()).startsWith("NeverEnds exit exited with status 7");
    }

    private static List<Path> testClasses() throws Exception {
        return List.of(Path.of(NeverEnds.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    /** A program that leaves a non-daemon thread running after main returns, as a leaky client library would. */
    static final class NeverEnds {
        static final String THREAD = "leaked-non-daemon-thread";

        public static void main(String[] args) throws InterruptedException {
            if (args.length == 2 && args[0].equals("exit")) {
                System.out.println("exiting with " + args[1]);
                System.exit(Integer.parseInt(args[1]));
            }
            Thread leaked = new Thread(() -> {
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, THREAD);
            leaked.start();
            System.out.println("main returned");
        }
    }
}
