package io.sealsync.rowsync.codec;

import io.sealsync.platform.JsonFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text parsed into the tree Go's decoder would build: TreeMap (sorted, last duplicate wins),
 * ArrayList, Double, String, Boolean, and null.
 */
final class GoDecoder {
  private GoDecoder() {}

  static Object parse(String json) {
    try (JsonParser parser = Parsers.FACTORY.createParser(new StringReader(json))) {
      if (!parser.hasNext()) {
        throw new IllegalArgumentException("Not JSON: empty input");
      }
      ArrayDeque<Container> stack = new ArrayDeque<>();
      Object root = null;
      boolean done = false;
      while (!done) {
        JsonParser.Event event = parser.next();
        Object value;
        switch (event) {
          case KEY_NAME:
            stack.peek().key = CanonicalJson.wellFormed(parser.getString());
            continue;
          case START_OBJECT:
          case START_ARRAY:
            if (stack.size() >= CanonicalJson.MAX_DEPTH) {
              throw new IllegalArgumentException(
                  "Not JSON: nested deeper than " + CanonicalJson.MAX_DEPTH);
            }
            stack.push(new Container(event == JsonParser.Event.START_OBJECT));
            continue;
          case END_OBJECT:
          case END_ARRAY:
            Container finished = stack.pop();
            value = finished.map != null ? finished.map : finished.list;
            break;
          case VALUE_STRING:
            value = parser.getString();
            break;
          case VALUE_NUMBER:
            // The token text, not JsonNumber: BigDecimal has no negative zero, Go's float64 does.
            // The parser has checked the JSON number syntax, a subset of what parseDouble reads.
            String text = parser.getString();
            value = CanonicalJson.finiteDouble(Double.parseDouble(text), text);
            break;
          case VALUE_TRUE:
            value = Boolean.TRUE;
            break;
          case VALUE_FALSE:
            value = Boolean.FALSE;
            break;
          case VALUE_NULL:
            value = null;
            break;
          default:
            throw new IllegalArgumentException("Not JSON: unexpected " + event);
        }
        if (stack.isEmpty()) {
          root = value;
          done = true;
        } else {
          stack.peek().add(value);
        }
      }
      if (parser.hasNext()) {
        throw new IllegalArgumentException("Not JSON: text after the value");
      }
      return root;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // Besides JsonParsingException, Parsson reports excessive nesting as a bare RuntimeException.
      throw new IllegalArgumentException("Not JSON: " + e.getMessage(), e);
    }
  }

  private static final class Container {
    final TreeMap<String, Object> map;
    final ArrayList<Object> list;
    String key;

    Container(boolean object) {
      map = object ? new TreeMap<>(CanonicalJson.UTF8_ORDER) : null;
      list = object ? null : new ArrayList<>();
    }

    void add(Object value) {
      if (map != null) {
        map.put(key, value);
      } else {
        list.add(value);
      }
    }
  }

  /** Deferred so that quoting and number formatting work without a JSON-P provider. */
  private static final class Parsers {
    /**
     * Parsson refuses 1000 levels of nesting by default where Go accepts up to 10000; Parsson's
     * limit is the first depth refused, hence the + 1. Other providers ignore the key, and {@link
     * #CanonicalJson.MAX_DEPTH} is enforced while parsing anyway.
     */
    static final JsonParserFactory FACTORY =
        JsonFactory.PROVIDER.createParserFactory(
            Map.of("org.eclipse.parsson.maxDepth", CanonicalJson.MAX_DEPTH + 1));
  }
}
