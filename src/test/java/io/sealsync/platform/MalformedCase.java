package io.sealsync.platform;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One malformed request derived from a valid one, with what it must not have changed in the
 * database if it was refused, and, where the protocol fixes it, the answer it must get.
 */
final class MalformedCase {
  /** The protocol the route belongs to; decides which error envelope the answer must have. */
  enum Family {
    AGENT_STATE,
    ROW_SYNC,
    ADMIN
  }

  final int id;
  final Family family;
  final String route;
  String mutation;
  Req req;
  Expect expect;

  /**
   * Valid requests that create what the malformed one acts on; their answers fill {@code {vars}}.
   */
  Setup setup;

  /** Sent only if the malformed request was accepted (2xx): e.g. the commit after a chunk. */
  Req followUp;

  /** What the database must show afterwards, if no request of the case was accepted. */
  final List<Subject> subjects = new ArrayList<>();

  /** The server may close the connection without an answer (absurd sizes at the HTTP layer). */
  boolean mayDrop;

  /**
   * The HTTP layer may refuse the request before the application sees it (header limits), with a
   * 4xx of its own making: no protocol envelope or code can be required then.
   */
  boolean httpLevel;

  /** What the setup's answers named ({@code push} → a push id). */
  final Map<String, String> vars = new java.util.concurrent.ConcurrentHashMap<>();

  /** The answers to the malformed request and its follow-up, in order. */
  final List<Answer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The request as sent, for reports (the request itself is dropped once answered). */
  String sent;

  /** The method as sent. */
  String sentMethod;

  MalformedCase(int id, Family family, String route) {
    this.id = id;
    this.family = family;
    this.route = route;
  }

  MalformedCase subject(String key, Check check) {
    subjects.add(new Subject(key, check, false));
    return this;
  }

  /** A fact that must hold when the case's last request was refused, whatever came before. */
  MalformedCase subjectIfLastRefused(String key, Check check) {
    subjects.add(new Subject(key, check, true));
    return this;
  }

  /** An HTTP request, path and query still percent-encoded as sent. */
  static final class Req {
    String method;
    String path;
    String query;
    final List<String[]> headers = new ArrayList<>();
    byte[] body;

    /** When > 0 the body is padded with leading whitespace to this size when sent. */
    long padTo;

    /** Sent byte for byte over a socket instead: for what an HTTP client library refuses. */
    byte[] raw;

    Req(String method, String path) {
      this.method = method;
      this.path = path;
    }

    Req copy() {
      Req c = new Req(method, path);
      c.query = query;
      headers.forEach(h -> c.headers.add(h.clone()));
      c.body = body;
      c.padTo = padTo;
      c.raw = raw;
      return c;
    }

    Req header(String name, String value) {
      removeHeader(name);
      if (value != null) {
        headers.add(new String[] {name, value});
      }
      return this;
    }

    Req addHeader(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Req removeHeader(String name) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
      return this;
    }

    String header(String name) {
      return headers.stream()
          .filter(h -> h[0].equalsIgnoreCase(name))
          .map(h -> h[1])
          .findFirst()
          .orElse(null);
    }

    Req json(byte[] b) {
      body = b;
      return header("Content-Type", "application/json");
    }

    String target() {
      return path + (query == null ? "" : "?" + query);
    }

    byte[] bodyToSend() {
      return padTo > 0 ? Mutations.padded(body, padTo) : body;
    }

    /** For reports: method, target and the start of the body, non-printables escaped. */
    String describe() {
      String t = target();
      StringBuilder sb = new StringBuilder(method).append(' ').append(excerpt(t, 160));
      if (raw != null) {
        sb.append(" [raw] ").append(printable(raw, 200));
      } else if (body != null) {
        sb.append(" body(")
            .append(padTo > 0 ? padTo : body.length)
            .append("B) ")
            .append(printable(body, 160));
      }
      return sb.toString();
    }
  }

  /** The status (and, when not empty, the error code) the protocol prescribes. */
  record Expect(Set<Integer> statuses, Set<String> codes, String why) {
    static Expect of(int status, String... codes) {
      return new Expect(Set.of(status), Set.of(codes), "");
    }

    static Expect anyOf(Set<Integer> statuses, String... codes) {
      return new Expect(statuses, Set.of(codes), "");
    }

    boolean codeMatches(String code) {
      if (codes.isEmpty()) {
        return true;
      }
      if (code == null) {
        return false;
      }
      return codes.contains(code)
          || codes.stream().anyMatch(c -> c.endsWith(":") && code.startsWith(c));
    }
  }

  /** Valid preparatory requests; returns values for {@code {name}} placeholders. */
  interface Setup {
    Map<String, String> run(Sender sender) throws Exception;
  }

  /** Sends a request, placeholders replaced. */
  interface Sender {
    Answer send(Req req, Map<String, String> vars);
  }

  /** What came back: status -1 when no answer was read. */
  record Answer(int status, String contentType, byte[] body, String failure) {
    String text() {
      return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  /** A database fact to check, shared by every case that names the same key. */
  record Subject(String key, Check check, boolean lastOnly) {}

  interface Check {
    /** Violations, empty when the database is as it must be. */
    List<String> violations(Connection db) throws SQLException;
  }

  static String excerpt(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
  }

  static String printable(byte[] b, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(b.length, max);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format(Locale.ROOT, "\\x%02x", c));
      }
    }
    if (b.length > max) {
      sb.append("…(").append(b.length).append(" bytes)");
    }
    return sb.toString();
  }
}
