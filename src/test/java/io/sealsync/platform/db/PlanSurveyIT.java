package io.sealsync.platform.db;

import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PlanSurveyIT {
  @Test
  void survey() throws Exception {
    long t0 = System.nanoTime();
    try (PlanDatabase db = PlanDatabase.create("plans_survey")) {
      System.out.println("load ms " + (System.nanoTime() - t0) / 1_000_000);
      for (SqlLiterals.Literal l : SqlLiterals.scan(SqlLiterals.mainClasses())) {
        for (String part : l.text().split(";\\s")) {
          if (!SqlLiterals.isSql(part) || part.contains("\u0001")) continue;
          int[] n = {0};
          String sql = part.replaceAll("\\?(\\d+)", "\\$$1");
          StringBuilder sb = new StringBuilder();
          for (char ch : sql.toCharArray()) {
            if (ch == '?') sb.append('$').append(++n[0]);
            else sb.append(ch);
          }
          try (Statement s = db.simple.createStatement();
              ResultSet rs = s.executeQuery("EXPLAIN (GENERIC_PLAN) " + sb)) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
            if (plan.toString().contains("Seq Scan")) {
              System.out.println(
                  "SCAN "
                      + l.className()
                      + "."
                      + l.member().replaceAll("\\(.*", "")
                      + "\n  "
                      + sb
                      + "\n"
                      + plan);
            }
          } catch (Exception e) {
            System.out.println(
                "ERR "
                    + l.className()
                    + "."
                    + l.member().replaceAll("\\(.*", "")
                    + ": "
                    + e.getMessage().split("\n")[0]);
          }
        }
      }
    }
  }
}
