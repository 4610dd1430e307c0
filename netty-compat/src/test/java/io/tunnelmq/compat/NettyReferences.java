package io.tunnelmq.compat;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a module's bytecode names of Netty and of itself: classes (supertypes, types in signatures and instructions),
 * methods and fields, each as {@code owner name descriptor}. The test resolves them against the Netty on the class
 * path; the JVM would resolve them lazily, on the first call, in production.
 */
final class NettyReferences {
    final Set<String> classes = new TreeSet<>();
    final Set<String> methods = new TreeSet<>();
    final Set<String> fields = new TreeSet<>();

    /** Reads every class of the module (a jar or a classes directory) that holds {@code anchor}. */
    static NettyReferences of(Class<?> anchor) {
        NettyReferences refs = new NettyReferences();
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                refs.readTree(location);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(location)) {
                    refs.readTree(jar.getPath("/"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return refs;
    }

    static boolean watched(String internalName) {
        return internalName.startsWith("io/netty/") || internalName.startsWith("io/tunnelmq/");
    }

    private void readTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))
                    .filter(f -> !f.toString().contains("META-INF"))::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    new ClassReader(in).accept(new Collector(), ClassReader.SKIP_FRAMES);
                }
            }
        }
    }

    private void type(Type type) {
        switch (type.getSort()) {
            case Type.ARRAY -> type(type.getElementType());
            case Type.OBJECT -> className(type.getInternalName());
            case Type.METHOD -> {
                type(type.getReturnType());
                for (Type argument : type.getArgumentTypes()) {
                    type(argument);
                }
            }
            default -> {
                // primitives name nothing
            }
        }
    }

    private void className(String internalName) {
        if (internalName.startsWith("[")) {
            type(Type.getType(internalName));
        } else if (watched(internalName)) {
            classes.add(internalName);
        }
    }

    private void method(String owner, String name, String descriptor) {
        className(owner);
        type(Type.getMethodType(descriptor));
        if (watched(owner) && !owner.startsWith("[")) {
            methods.add(owner + " " + name + " " + descriptor);
        }
    }

    private void field(String owner, String name, String descriptor) {
        className(owner);
        type(Type.getType(descriptor));
        if (watched(owner)) {
            fields.add(owner + " " + name + " " + descriptor);
        }
    }

    private void constant(Object value) {
        if (value instanceof Type t) {
            type(t);
        } else if (value instanceof Handle h) {
            if (h.getTag() <= Opcodes.H_PUTSTATIC) {
                field(h.getOwner(), h.getName(), h.getDesc());
            } else {
                method(h.getOwner(), h.getName(), h.getDesc());
            }
        }
    }

    private final class Collector extends ClassVisitor {
        Collector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            if (superName != null) {
                className(superName);
            }
            for (String i : interfaces) {
                className(i);
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            type(Type.getType(descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            type(Type.getMethodType(descriptor));
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String n, String d, boolean isInterface) {
                    method(owner, n, d);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String n, String d) {
                    field(owner, n, d);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    className(type);
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                @Override
                public void visitInvokeDynamicInsn(String n, String d, Handle bootstrap, Object... arguments) {
                    type(Type.getMethodType(d));
                    for (Object argument : arguments) {
                        constant(argument);
                    }
                }

                @Override
                public void visitTryCatchBlock(org.objectweb.asm.Label start, org.objectweb.asm.Label end,
                        org.objectweb.asm.Label handler, String type) {
                    if (type != null) {
                        className(type);
                    }
                }
            };
        }
    }
}
