package io.sealsync.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * An {@code Accept} or {@code Content-Type} header that is not the grammar of RFC 9110 (e.g. {@code
 * garbage}, {@code application/json;q=abc}, two types in one Content-Type) is ignored, as if
 * absent. The JAX-RS runtimes refuse such headers with a 500 or a bare HTML 400 before any resource
 * runs, while no route of this server negotiates its response type or reads its body by the
 * declared type.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class NegotiationHeaderFilter extends HttpFilter {
  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    boolean badAccept = !all(req, "Accept", NegotiationHeaderFilter::validAccept);
    boolean badType = !all(req, "Content-Type", NegotiationHeaderFilter::validContentType);
    if (!badAccept && !badType) {
      chain.doFilter(req, res);
      return;
    }
    Set<String> hidden =
        badAccept && badType
            ? Set.of("accept", "content-type")
            : Set.of(badAccept ? "accept" : "content-type");
    chain.doFilter(new Without(req, hidden), res);
  }

  private static boolean all(
      HttpServletRequest req, String name, java.util.function.Predicate<String> valid) {
    Enumeration<String> values = req.getHeaders(name);
    return values == null || Collections.list(values).stream().allMatch(valid);
  }

  /** Whether one Accept value is a list of well-formed media ranges with valid qualities. */
  static boolean validAccept(String value) {
    MediaTypes p = new MediaTypes(value);
    do {
      p.skipSpace();
      if (p.atEnd() || p.peek() == ',') {
        continue; // empty list elements are allowed
      }
      if (!p.mediaType(true)) {
        return false;
      }
      p.skipSpace();
    } while (p.consume(','));
    return p.atEnd();
  }

  /** Whether a Content-Type value is one well-formed media type. */
  static boolean validContentType(String value) {
    MediaTypes p = new MediaTypes(value);
    p.skipSpace();
    if (!p.mediaType(false)) {
      return false;
    }
    p.skipSpace();
    return p.atEnd();
  }

  /**
   * The media type grammar of RFC 9110 §8.3.1 and §12.5.1, read by hand in one pass: regular
   * expressions over a header of many parameters backtrack or recurse far too deep.
   */
  private static final class MediaTypes {
    private static final String TCHAR = "!#$%&'*+-.^_`|~";
    private final String s;
    private int i;

    MediaTypes(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return i >= s.length();
    }

    char peek() {
      return s.charAt(i);
    }

    boolean consume(char c) {
      if (!atEnd() && peek() == c) {
        i++;
        return true;
      }
      return false;
    }

    void skipSpace() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        i++;
      }
    }

    /** A token; its text, or null if there is none here. */
    String token() {
      int start = i;
      while (!atEnd()) {
        char c = peek();
        if (c < 0x80 && (Character.isLetterOrDigit(c) || TCHAR.indexOf(c) >= 0)) {
          i++;
        } else {
          break;
        }
      }
      return i > start ? s.substring(start, i) : null;
    }

    boolean quotedString() {
      if (!consume('"')) {
        return false;
      }
      while (!atEnd()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return true;
        }
        if (c == '\\' && !atEnd()) {
          i++;
        }
      }
      return false;
    }

    /** type "/" subtype, then parameters; a quality, when one is read, must be a qvalue. */
    boolean mediaType(boolean quality) {
      if (token() == null || !consume('/') || token() == null) {
        return false;
      }
      while (true) {
        int before = i;
        skipSpace();
        if (!consume(';')) {
          i = before;
          return true;
        }
        skipSpace();
        if (atEnd() || peek() == ';' || peek() == ',') {
          continue; // an empty parameter
        }
        String name = token();
        if (name == null || !consume('=')) {
          return false;
        }
        int valueStart = i;
        if (!(atEnd() ? false : peek() == '"' ? quotedString() : token() != null)) {
          return false;
        }
        if (quality && name.equalsIgnoreCase("q") && !qvalue(s.substring(valueStart, i))) {
          return false;
        }
      }
    }

    /** 0 to 1 with at most three decimals (RFC 9110 §12.4.2). */
    static boolean qvalue(String v) {
      if (v.length() > 5 || v.isEmpty()) {
        return false;
      }
      boolean one = v.charAt(0) == '1';
      if (!one && v.charAt(0) != '0') {
        return false;
      }
      if (v.length() == 1) {
        return true;
      }
      if (v.charAt(1) != '.') {
        return false;
      }
      for (int k = 2; k < v.length(); k++) {
        char c = v.charAt(k);
        if (one ? c != '0' : c < '0' || c > '9') {
          return false;
        }
      }
      return true;
    }
  }

  /** The request with some headers hidden (names in lower case). */
  private static final class Without extends HttpServletRequestWrapper {
    private final Set<String> hidden;

    Without(HttpServletRequest req, Set<String> hidden) {
      super(req);
      this.hidden = hidden;
    }

    private boolean isHidden(String name) {
      return name != null && hidden.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String getHeader(String name) {
      return isHidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return isHidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = Collections.list(super.getHeaderNames());
      names.removeIf(this::isHidden);
      return Collections.enumeration(names);
    }

    @Override
    public String getContentType() {
      return hidden.contains("content-type") ? null : super.getContentType();
    }
  }
}
