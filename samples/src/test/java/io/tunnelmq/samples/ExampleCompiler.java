package io.tunnelmq.samples;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compiles one example's sources with the JDK's compiler, against the Jakarta Messaging API only: an example that
 * needs anything vendor-specific fails here, naming what it is missing.
 */
final class ExampleCompiler {

    private ExampleCompiler() {
    }

    /**
     * Compiles every {@code .java} file under {@code sources} into {@code classes}.
     *
     * @throws AssertionError with the compiler's messages when the sources do not compile
     */
    static void compile(Path sources, Path classes, List<Path> classpath) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AssertionError("no Java sources under " + sources);
        }
        Files.createDirectories(classes);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", classes.toString(), "-proc:none", "-nowarn", "-encoding", "UTF-8",
                    "-classpath", classpath.stream().map(Path::toString)
                            .collect(Collectors.joining(File.pathSeparator)));
            boolean ok = compiler.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                String errors = diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
                        .collect(Collectors.joining("\n"));
                throw new AssertionError("the sources under " + sources + " do not compile against " + classpath
                        + ":\n" + errors);
            }
        }
    }
}
