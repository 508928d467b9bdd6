package io.sealsync.platform.observability;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The monitoring files shipped in {@code docs/monitoring} (alert rules and Grafana dashboard) and
 * the Prometheus metric names they query, so that tests can hold them to the metrics the server
 * really exposes: an alert on a misspelt metric never fires and says nothing.
 */
public final class MonitoringFiles {
  /** The alert rules, relative to {@link #dir()}. */
  static final String RULES = "sealsync-alerts.yml";

  /** The unit tests of the alert rules, relative to {@link #dir()}. */
  static final String RULES_TEST = "sealsync-alerts.test.yml";

  /** The Grafana dashboard, relative to {@link #dir()}. */
  static final String DASHBOARD = "grafana-dashboard.json";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern EXPR_KEY = Pattern.compile("^(\\s*(?:-\\s+)?)expr:(.*)$");

  private MonitoringFiles() {}

  /** {@code docs/monitoring} under the Maven base directory (the working directory otherwise). */
  public static Path dir() {
    return Path.of(System.getProperty("basedir", ".")).resolve("docs").resolve("monitoring");
  }

  /** The metric names, as written, that the {@code expr:} of the alert rules reference. */
  public static Set<String> metricNamesInRules() {
    Set<String> names = new TreeSet<>();
    for (String expr : ruleExprs()) {
      names.addAll(metricNames(expr));
    }
    return names;
  }

  /** The metric names, as written, that the dashboard's panel targets reference. */
  public static Set<String> metricNamesInDashboard() {
    Set<String> names = new TreeSet<>();
    for (JsonObject panel : dashboardPanels()) {
      for (String expr : targetExprs(panel)) {
        names.addAll(metricNames(expr));
      }
    }
    return names;
  }

  /**
   * The metric names in one PromQL expression: identifiers outside strings and comments that start
   * with {@code sealsync_}, {@code jvm_} or {@code process_}, or are {@code up}.
   */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(withoutStringsAndComments(expr));
    while (m.find()) {
      String name = m.group();
      if (name.startsWith("sealsync_")
          || name.startsWith("jvm_")
          || name.startsWith("process_")
          || name.equals("up")) {
        names.add(name);
      }
    }
    return names;
  }

  /** Every panel of the dashboard except rows, including the panels of collapsed rows. */
  static List<JsonObject> dashboardPanels() {
    JsonObject dashboard;
    try (Reader in = Files.newBufferedReader(dir().resolve(DASHBOARD), StandardCharsets.UTF_8);
        JsonReader reader = Json.createReader(in)) {
      dashboard = reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<JsonObject> panels = new ArrayList<>();
    collectPanels(dashboard.getJsonArray("panels"), panels);
    return panels;
  }

  /** The {@code expr} of each target of a panel (targets without one are left out). */
  static List<String> targetExprs(JsonObject panel) {
    List<String> exprs = new ArrayList<>();
    JsonArray targets = panel.getJsonArray("targets");
    if (targets != null) {
      for (JsonValue target : targets) {
        if (target instanceof JsonObject t && t.containsKey("expr")) {
          exprs.add(t.getString("expr"));
        }
      }
    }
    return exprs;
  }

  private static void collectPanels(JsonArray array, List<JsonObject> into) {
    if (array == null) {
      return;
    }
    for (JsonValue value : array) {
      JsonObject panel = value.asJsonObject();
      if ("row".equals(panel.getString("type", ""))) {
        collectPanels(panel.getJsonArray("panels"), into);
      } else {
        into.add(panel);
      }
    }
  }

  /**
   * The {@code expr:} values of the rules file, read line by line (the test classpath has no YAML
   * parser): plain or quoted on one line, or a block scalar ({@code |}, {@code >}) or plain scalar
   * continued on the lines indented deeper than the key.
   */
  private static List<String> ruleExprs() {
    List<String> lines;
    try {
      lines = Files.readAllLines(dir().resolve(RULES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> exprs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = EXPR_KEY.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      int keyIndent = m.group(1).length();
      String value = m.group(2).trim();
      if (value.startsWith("'") && value.endsWith("'") && value.length() > 1) {
        exprs.add(value.substring(1, value.length() - 1).replace("''", "'"));
        continue;
      }
      if (value.startsWith("\"") && value.endsWith("\"") && value.length() > 1) {
        exprs.add(
            value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\"));
        continue;
      }
      StringBuilder expr = new StringBuilder();
      if (!value.startsWith("|") && !value.startsWith(">")) {
        expr.append(value).append('\n');
      }
      while (i + 1 < lines.size()) {
        String next = lines.get(i + 1);
        if (!next.isBlank() && indent(next) <= keyIndent) {
          break;
        }
        expr.append(next.strip()).append('\n');
        i++;
      }
      exprs.add(expr.toString());
    }
    return exprs;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** PromQL with its string literals ("", '', ``) and # comments blanked out. */
  private static String withoutStringsAndComments(String expr) {
    StringBuilder out = new StringBuilder(expr.length());
    char quote = 0;
    boolean comment = false;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (comment) {
        if (c == '\n') {
          comment = false;
          out.append(c);
        }
      } else if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
          out.append(' ');
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
        out.append(' ');
      } else if (c == '#') {
        comment = true;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
