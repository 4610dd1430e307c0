package io.tunnelmq.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compiling an example against the JMS API alone: what a vendor-specific import looks like when it fails. */
@Timeout(60)
class ExampleCompilerTest {
    @TempDir
    Path scratch;

    @Test
    void aJmsProgramCompilesAgainstTheApiAlone() throws Exception {
        Path sources = write("ok/Hello.java", "package ok; public class Hello { jakarta.jms.Queue queue; }");
        ExampleCompiler.compile(sources, scratch.resolve("classes"), List.of(ProgramClasspath.jmsApi()));
        assertThat(scratch.resolve("classes/ok/Hello.class")).isRegularFile();
    }

    @Test
    void aVendorImportFailsNamingTheFileAndWhatIsMissing() throws Exception {
        Path sources = write("vendor/Uses.java",
                "package vendor; import org.apache.activemq.artemis.util.ServerUtil; public class Uses { }");
        assertThatThrownBy(() -> ExampleCompiler.compile(sources, scratch.resolve("classes"),
                List.of(ProgramClasspath.jmsApi())))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Uses.java:1:")
                .hasMessageContaining("org.apache.activemq.artemis.util");
    }

    @Test
    void aFolderWithoutSourcesIsAnError() throws Exception {
        Path empty = Files.createDirectories(scratch.resolve("empty"));
        assertThatThrownBy(() -> ExampleCompiler.compile(empty, scratch.resolve("classes"), List.of()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no Java sources under");
    }

    private Path write(String file, String source) throws Exception {
        Path root = scratch.resolve("src");
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, source, StandardCharsets.UTF_8);
        return root;
    }
}
