package io.sealsync.platform;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * JSON the malformed-input generator can break: objects keep their members as a list (so keys can
 * repeat), and {@link Raw} and {@link Bytes} values are written verbatim (numbers no parser
 * accepts, broken tokens, invalid UTF-8).
 */
sealed interface BreakableJson {
  record Obj(List<Map.Entry<String, BreakableJson>> members) implements BreakableJson {}

  record Arr(List<BreakableJson> items) implements BreakableJson {}

  /** A string, escaped as JSON requires; unpaired surrogates are written as {@code \\uXXXX}. */
  record Str(String value) implements BreakableJson {}

  /** Text written as is: numbers, literals, or anything else. */
  record Raw(String text) implements BreakableJson {}

  /** Bytes written as is, e.g. a string with invalid UTF-8 inside its quotes. */
  record Bytes(byte[] bytes) implements BreakableJson {}

  BreakableJson NULL = new Raw("null");

  static Obj obj(Object... keysAndValues) {
    List<Map.Entry<String, BreakableJson>> members = new ArrayList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      members.add(Map.entry((String) keysAndValues[i], of(keysAndValues[i + 1])));
    }
    return new Obj(members);
  }

  static Arr arr(Object... items) {
    List<BreakableJson> list = new ArrayList<>();
    for (Object o : items) {
      list.add(of(o));
    }
    return new Arr(list);
  }

  /** Java values as JSON: strings, numbers, booleans, null, or JSON already. */
  static BreakableJson of(Object v) {
    if (v == null) {
      return NULL;
    }
    if (v instanceof BreakableJson j) {
      return j;
    }
    if (v instanceof String s) {
      return new Str(s);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return new Raw(String.valueOf(v));
    }
    throw new IllegalArgumentException(v.getClass().getName());
  }

  default byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(this, out);
    return out.toByteArray();
  }

  private static void write(BreakableJson v, ByteArrayOutputStream out) {
    if (v instanceof Obj o) {
      out.write('{');
      boolean first = true;
      for (Map.Entry<String, BreakableJson> m : o.members()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        writeString(m.getKey(), out);
        out.write(':');
        write(m.getValue(), out);
      }
      out.write('}');
    } else if (v instanceof Arr a) {
      out.write('[');
      for (int i = 0; i < a.items().size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        write(a.items().get(i), out);
      }
      out.write(']');
    } else if (v instanceof Str s) {
      writeString(s.value(), out);
    } else if (v instanceof Raw r) {
      out.writeBytes(r.text().getBytes(StandardCharsets.UTF_8));
    } else {
      out.writeBytes(((Bytes) v).bytes());
    }
  }

  private static void writeString(String s, ByteArrayOutputStream out) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1))
              || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || (Character.isSurrogate(c) && !paired)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    out.writeBytes(sb.append('"').toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Where a value sits: a member of an object (by position) or an item of an array. */
  record Location(List<Integer> steps, String name) {}

  /** Every member and item below the root, depth first. */
  default List<Location> locations() {
    List<Location> out = new ArrayList<>();
    collect(this, new ArrayList<>(), "", out);
    return out;
  }

  private static void collect(BreakableJson v, List<Integer> at, String name, List<Location> out) {
    if (v instanceof Obj o) {
      for (int i = 0; i < o.members().size(); i++) {
        List<Integer> next = new ArrayList<>(at);
        next.add(i);
        String n = name + "." + o.members().get(i).getKey();
        out.add(new Location(next, n));
        collect(o.members().get(i).getValue(), next, n, out);
      }
    } else if (v instanceof Arr a) {
      for (int i = 0; i < a.items().size(); i++) {
        List<Integer> next = new ArrayList<>(at);
        next.add(i);
        String n = name + "[" + i + "]";
        out.add(new Location(next, n));
        collect(a.items().get(i), next, n, out);
      }
    }
  }

  /**
   * A copy in which the container holding {@code at} is rewritten by {@code edit}, which receives
   * the container and the position inside it.
   */
  default BreakableJson editParent(Location at, ContainerEdit edit) {
    return edit(this, at.steps(), 0, edit);
  }

  /** A copy with the value at {@code at} replaced by {@code change} of it. */
  default BreakableJson replace(Location at, UnaryOperator<BreakableJson> change) {
    return editParent(
        at,
        (container, index) -> {
          if (container instanceof Obj o) {
            List<Map.Entry<String, BreakableJson>> m = new ArrayList<>(o.members());
            Map.Entry<String, BreakableJson> e = m.get(index);
            m.set(index, Map.entry(e.getKey(), change.apply(e.getValue())));
            return new Obj(m);
          }
          List<BreakableJson> items = new ArrayList<>(((Arr) container).items());
          items.set(index, change.apply(items.get(index)));
          return new Arr(items);
        });
  }

  /** Rewrites one container, given the position of the located value inside it. */
  interface ContainerEdit {
    BreakableJson apply(BreakableJson container, int index);
  }

  private static BreakableJson edit(
      BreakableJson v, List<Integer> steps, int depth, ContainerEdit edit) {
    int index = steps.get(depth);
    if (depth == steps.size() - 1) {
      return edit.apply(v, index);
    }
    if (v instanceof Obj o) {
      List<Map.Entry<String, BreakableJson>> m = new ArrayList<>(o.members());
      Map.Entry<String, BreakableJson> e = m.get(index);
      m.set(index, Map.entry(e.getKey(), edit(e.getValue(), steps, depth + 1, edit)));
      return new Obj(m);
    }
    List<BreakableJson> items = new ArrayList<>(((Arr) v).items());
    items.set(index, edit(items.get(index), steps, depth + 1, edit));
    return new Arr(items);
  }
}
