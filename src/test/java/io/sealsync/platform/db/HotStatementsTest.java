package io.sealsync.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the plan check complete ({@link HotStatementPlansIT}): every statement of the product is
 * either marked {@link HotStatement} and checked, or in a class named here with the reason it is
 * not hot. A new statement in a hot class, a new class with SQL, or a marked statement without a
 * check fails the build before any database is involved.
 */
class HotStatementsTest {
  /** Classes whose SQL serves no request path, and why. */
  static final Map<String, String> COLD =
      Map.of(
          "io.sealsync.rowsync.schema.SyncSchemaBootstrap",
          "runs at start under the bootstrap lock: system catalogs and the layout's small tables",
          "io.sealsync.rowsync.schema.RegisteredTableValidation",
          "runs at start: system catalogs",
          "io.sealsync.platform.ServerSecrets",
          "server_secret: a few rows, read once per node and secret",
          "io.sealsync.platform.db.DatabaseMigrations",
          "the readiness probe reads no table (pg_is_in_recovery)");

  static final SqlLiterals.Scan SCAN = SqlLiterals.scan(SqlLiterals.mainClasses());

  @Test
  void everyMarkedStatementHasAPlanCheckAndEveryCheckAMarkedStatement() {
    Set<String> marked =
        SCAN.marked().stream()
            .map(SqlLiterals.Marked::id)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> checked =
        PlanChecks.ALL.stream()
            .map(PlanChecks.Check::id)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> unchecked = new TreeSet<>(marked);
    unchecked.removeAll(checked);
    Set<String> stale = new TreeSet<>(checked);
    stale.removeAll(marked);
    assertEquals(Set.of(), unchecked, "marked @HotStatement without a check in PlanChecks");
    assertEquals(Set.of(), stale, "checks in PlanChecks of no marked statement");
    assertTrue(marked.size() > 80, "the scan found " + marked.size() + " marked statements");
  }

  @Test
  void everyStatementOfAHotClassIsMarked() {
    Set<String> hotClasses =
        SCAN.marked().stream().map(SqlLiterals.Marked::className).collect(Collectors.toSet());
    Set<String> markedMethods =
        SCAN.marked().stream()
            .filter(SqlLiterals.Marked::method)
            .map(m -> m.className() + "#" + m.member())
            .collect(Collectors.toSet());
    Set<String> markedText =
        SCAN.marked().stream()
            .filter(m -> m.value() != null)
            .flatMap(m -> SqlLiterals.statements(m.value()).stream())
            .collect(Collectors.toSet());
    List<String> unmarked =
        SCAN.literals().stream()
            .filter(l -> !COLD.containsKey(outer(l.className())))
            .filter(l -> !markedMethods.contains(l.className() + "#" + l.method()))
            .filter(l -> !markedText.contains(l.text()))
            .map(l -> hotClasses.contains(l.className()) ? l.toString() : "(no hot statement) " + l)
            .sorted()
            .toList();
    assertEquals(
        List.of(),
        unmarked,
        "SQL outside a @HotStatement constant or builder (mark it and add its check to PlanChecks,"
            + " or name its class in COLD with the reason)");
  }

  @Test
  void coldClassesHoldNoMarkedStatement() {
    Set<String> both =
        SCAN.marked().stream()
            .map(SqlLiterals.Marked::className)
            .filter(c -> COLD.containsKey(outer(c)))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), both);
  }

  private static String outer(String className) {
    int dollar = className.indexOf('$');
    return dollar < 0 ? className : className.substring(0, dollar);
  }
}
