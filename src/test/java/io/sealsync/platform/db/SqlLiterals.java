package io.sealsync.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The SQL text in the compiled product: every string literal (and every constant part of a string
 * concatenation) that starts a statement, with the class and method holding it. Read from the class
 * files, so nothing the compiler inlined is missed.
 */
final class SqlLiterals {
  private SqlLiterals() {}

  /** A statement start: a verb and the word that makes it SQL rather than prose. */
  private static final Pattern SQL =
      Pattern.compile(
          "(?is)^[\\s;]*(SELECT\\s.*\\bFROM\\b|SELECT\\s+(pg_|set_config|nextval|1\\b|\\?)"
              + "|INSERT\\s+INTO\\b|UPDATE\\s+\\S+.*\\bSET\\b|DELETE\\s+FROM\\b|WITH\\s+\\w+\\s+AS\\b).*");

  /** One literal: where it is, and its text (a concatenation's dynamic parts as \u0001). */
  record Literal(String className, String member, String text) {
    @Override
    public String toString() {
      return className + "." + member + ": " + text;
    }
  }

  static boolean isSql(String s) {
    return SQL.matcher(s).matches();
  }

  /** The product's compiled classes (the test class path's main output). */
  static Path mainClasses() {
    try {
      Path p = Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Literal> scan(Path classes) {
    List<Literal> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          new ClassReader(in).accept(new Collector(out), ClassReader.SKIP_DEBUG);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static final class Collector extends ClassVisitor {
    private final List<Literal> out;
    private String className;

    Collector(List<Literal> out) {
      super(Opcodes.ASM9);
      this.out = out;
    }

    @Override
    public void visit(
        int version, int access, String name, String sig, String superName, String[] ifaces) {
      className = name.replace('/', '.');
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      if (value instanceof String s && isSql(s)) {
        out.add(new Literal(className, name, s));
      }
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      String member = name + descriptor;
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof String s && isSql(s)) {
            out.add(new Literal(className, member, s));
          }
        }

        @Override
        public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
          for (Object a : args) {
            if (a instanceof String s && isSql(s)) {
              out.add(new Literal(className, member, s));
            }
          }
        }
      };
    }
  }

  public static void main(String[] args) {
    scan(mainClasses()).forEach(System.out::println);
  }
}
