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
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The product's SQL as compiled: every statement held in a string literal (or in the constant parts
 * of a concatenation), with the class and method holding it, and every member marked {@link
 * HotStatement}. Read from the class files, so nothing the compiler folded or inlined is missed,
 * and no class is loaded.
 */
final class SqlLiterals {
  private SqlLiterals() {}

  /** A statement: a verb and the word that makes it SQL (or JPQL) rather than prose. */
  private static final Pattern SQL =
      Pattern.compile(
          "(?is)\\s*(SELECT\\s.*\\bFROM\\b.*|SELECT\\s+(pg_|set_config|nextval|coalesce|1\\b).*"
              + "|INSERT\\s+INTO\\b.*|UPDATE\\s+\\S+\\s.*\\bSET\\b.*|DELETE\\s+FROM\\b.*"
              + "|WITH\\s+\\w+\\s+AS\\b.*)");

  /** A statement of a literal: its class, the method holding it, and its text. */
  record Literal(String className, String method, String text) {
    @Override
    public String toString() {
      return className + "." + method + ": " + text;
    }
  }

  /** A member marked {@link HotStatement}: a field (with its constant value) or a method. */
  record Marked(String className, String member, boolean method, String value) {
    String id() {
      return className + "#" + member;
    }
  }

  record Scan(List<Literal> literals, List<Marked> marked) {}

  static boolean isSql(String s) {
    return SQL.matcher(s).matches();
  }

  /**
   * The statements of one literal: a round trip of several statements holds them separated by
   * {@code "; "}; a concatenation's dynamic parts (U+0001 in its recipe) are not statements.
   */
  static List<String> statements(String literal) {
    List<String> out = new ArrayList<>();
    for (String part : literal.split(";\\s")) {
      String p = part.strip();
      if (!p.contains("\u0001") && isSql(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The product's compiled classes (the main output on the test class path). */
  static Path mainClasses() {
    try {
      return Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Scan scan(Path classes) {
    List<Literal> literals = new ArrayList<>();
    List<Marked> marked = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          new ClassReader(in).accept(new Collector(literals, marked), ClassReader.SKIP_DEBUG);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Scan(literals, marked);
  }

  private static final String MARK = Type.getDescriptor(HotStatement.class);

  private static final class Collector extends ClassVisitor {
    private final List<Literal> literals;
    private final List<Marked> marked;
    private String className;

    Collector(List<Literal> literals, List<Marked> marked) {
      super(Opcodes.ASM9);
      this.literals = literals;
      this.marked = marked;
    }

    @Override
    public void visit(
        int version, int access, String name, String sig, String superName, String[] ifaces) {
      className = name.replace('/', '.');
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      return new FieldVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
          if (MARK.equals(desc)) {
            marked.add(new Marked(className, name, false, value instanceof String s ? s : null));
          }
          return null;
        }
      };
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
          if (MARK.equals(desc)) {
            marked.add(new Marked(className, name, true, null));
          }
          return null;
        }

        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof String s) {
            add(s);
          }
        }

        @Override
        public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
          for (Object a : args) {
            if (a instanceof String s) {
              add(s);
            }
          }
        }

        private void add(String s) {
          for (String statement : statements(s)) {
            literals.add(new Literal(className, name, statement));
          }
        }
      };
    }
  }
}
