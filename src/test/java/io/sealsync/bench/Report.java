package io.sealsync.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.awt.Color;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The benchmark's output: one table (printed, and as Markdown), JSON and a chart. */
final class Report {
  private Report() {}

  /** Above this share of the server's CPU in its JIT compiler, a load's row gets a note. */
  static final double JIT_NOTE_SHARE = 0.1;

  /** The label of the reference server's rows and series. */
  static final String REFERENCE = "reference (go-oversync)";

  /**
   * One workload: the server's figures, the floor's, and what the server JVM looked like; {@code
   * reference} is the reference server's run of the same workload, or null; {@code floor} is null
   * for a workload that has no plain-JDBC equivalent (the per-request floor).
   */
  record Result(
      String label,
      String workload,
      String unit,
      Load.Measurement server,
      ServerSampler.Window sample,
      Load.Measurement floor,
      String note,
      Load.Measurement reference) {
    double ratio() {
      return floor == null || floor.perSecond() == 0
          ? Double.NaN
          : server.perSecond() / floor.perSecond();
    }

    double referenceRatio() {
      return reference == null || floor == null || floor.perSecond() == 0
          ? Double.NaN
          : reference.perSecond() / floor.perSecond();
    }

    /** Sealsync's throughput over the reference's. */
    double toReference() {
      return reference == null || reference.perSecond() == 0
          ? Double.NaN
          : server.perSecond() / reference.perSecond();
    }
  }

  /**
   * The table; with a reference server in the run, each workload it was measured on has a second
   * row, the reference's (the same floor, no JVM figures), and a last column Sealsync / reference.
   */
  static String table(List<Result> results) {
    boolean withReference = results.stream().anyMatch(r -> r.reference() != null);
    StringBuilder t = new StringBuilder();
    t.append(
        "| workload | "
            + (withReference ? "server" : "Sealsync")
            + " | p50 ms | p99 ms | server CPU ms/op | PostgreSQL CPU ms/op"
            + " | server heap high-water | server threads (max)"
            + " | floor: plain JDBC | floor p50 ms | floor p99 ms | floor PostgreSQL CPU ms/op | "
            + (withReference ? "server / floor | Sealsync / reference |" : "Sealsync / floor |")
            + "\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        .append(withReference ? "---:|" : "")
        .append("\n");
    for (Result r : results) {
      row(
          t,
          r.workload(),
          r.server(),
          r.unit(),
          r.sample().maxHeapBytes() < 0 ? "n/a" : mib(r.sample().maxHeapBytes()),
          r.sample().maxThreads() < 0 ? "n/a" : Integer.toString(r.sample().maxThreads()),
          r.floor(),
          r.ratio());
      if (withReference) {
        t.append(r.reference() == null ? "  |" : " " + ratio(r.toReference()) + " |");
      }
      t.append("\n");
      if (r.reference() != null) {
        row(
            t,
            REFERENCE + ", same workload",
            r.reference(),
            r.unit(),
            "n/a",
            "n/a",
            r.floor(),
            r.referenceRatio());
        t.append("  |\n");
      }
    }
    for (Result r : results) {
      if (r.note() != null) {
        t.append("\n").append(r.workload()).append(": ").append(r.note()).append('\n');
      }
    }
    for (Result r : results) {
      double jit = r.server().cpu().compilerShare();
      if (jit > JIT_NOTE_SHARE) {
        t.append(
            String.format(
                Locale.ROOT,
                "%n%s: the server's JIT compiler used %.0f %% of its CPU during this load (not the"
                    + " steady state yet: that much of its CPU per operation is compilation; a longer"
                    + " -Dbench.warm-up-seconds helps)%n",
                r.workload(),
                jit * 100));
      }
    }
    return t.toString();
  }

  /** One row, without its line end (the caller may add a cell). */
  private static void row(
      StringBuilder t,
      String workload,
      Load.Measurement m,
      String unit,
      String heap,
      String threads,
      Load.Measurement floor,
      double ratio) {
    t.append("| ")
        .append(workload)
        .append(" | ")
        .append(rate(m, unit))
        .append(" | ")
        .append(millis(m.percentileMillis(50)))
        .append(" | ")
        .append(millis(m.percentileMillis(99)))
        .append(" | ")
        .append(cpu(m.cpu().serverMillisPerOp()))
        .append(" | ")
        .append(cpu(m.cpu().databaseMillisPerOp()))
        .append(" | ")
        .append(heap)
        .append(" | ")
        .append(threads)
        .append(" | ")
        .append(floor == null ? "n/a" : rate(floor, unit))
        .append(" | ")
        .append(floor == null ? "n/a" : millis(floor.percentileMillis(50)))
        .append(" | ")
        .append(floor == null ? "n/a" : millis(floor.percentileMillis(99)))
        .append(" | ")
        .append(floor == null ? "n/a" : cpu(floor.cpu().databaseMillisPerOp()))
        .append(" | ")
        .append(ratio(ratio))
        .append(" |");
  }

  private static String ratio(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
  }

  /** CPU milliseconds per operation: three significant digits are what /proc's ticks support. */
  private static String cpu(double ms) {
    if (Double.isNaN(ms)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, ms < 1 ? "%.3f" : ms < 10 ? "%.2f" : "%.1f", ms);
  }

  private static String rate(Load.Measurement m, String unit) {
    return String.format(Locale.ROOT, "%,.0f %s", m.perSecond(), unit);
  }

  private static String millis(double ms) {
    if (Double.isNaN(ms)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, ms < 10 ? "%.1f" : "%.0f", ms);
  }

  /** Above this ratio of the loaded p50 to the empty one, an operation's row is flagged. */
  static final double VOLUME_RATIO_GOAL = 1.2;

  /** Above this p99 at the loaded size, an operator API or console page is flagged. */
  static final double OPERATOR_P99_GOAL_MS = 200;

  /**
   * The volume profile's report: the size, the load's duration, each operation's p50 and p99 at the
   * empty and at the loaded size with the ratio of the p50s (flagged above {@value
   * #VOLUME_RATIO_GOAL}, and operator API pages above {@value #OPERATOR_P99_GOAL_MS} ms at p99),
   * and the disk by table group.
   */
  static String volume(
      VolumeLoad.Size size,
      long loadSeconds,
      long vacuumSeconds,
      String sizeBefore,
      String sizeAfter,
      Map<String, Load.Measurement[]> operations,
      VolumeProbes.RetentionRun retention,
      List<Disk.Group> diskBefore,
      List<Disk.Group> disk) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%n## Volume profile, size %s%n%n%,d business rows (demo.users) over %,d row-sync users"
                + " (%d of them with %,d rows in %,d retained bundles), %,d bundles retained;"
                + " %,d agent-state blocks of 1 to 4 KiB over %,d tenants (one with %,d); %,d"
                + " ledger and %,d audit entries. Loaded in %d s, then VACUUM ANALYZE in %d s;"
                + " database %s after the load, %s before it.%n%n",
            size.name(),
            size.businessRows(),
            size.users(),
            size.heavyUsers(),
            size.heavyRows(),
            size.heavyBundles(),
            size.bundles(),
            size.blocks(),
            size.tenants(),
            size.heavyBlocks(),
            size.ledger(),
            size.audit(),
            loadSeconds,
            vacuumSeconds,
            sizeAfter,
            sizeBefore));
    t.append(
        "| operation | p50 ms empty | p99 ms empty | p50 ms loaded | p99 ms loaded"
            + " | loaded / empty (p50) |\n");
    t.append("|---|---:|---:|---:|---:|---:|\n");
    List<String> flagged = new java.util.ArrayList<>();
    for (Map.Entry<String, Load.Measurement[]> e : operations.entrySet()) {
      Load.Measurement empty = e.getValue()[0];
      Load.Measurement full = e.getValue()[1];
      double ratio =
          empty == null || full == null
              ? Double.NaN
              : full.percentileMillis(50) / empty.percentileMillis(50);
      boolean slower = ratio > VOLUME_RATIO_GOAL;
      boolean slowPage =
          e.getKey().startsWith("operator API")
              && full != null
              && full.percentileMillis(99) > OPERATOR_P99_GOAL_MS;
      String p99Loaded = full == null ? "n/a" : millis(full.percentileMillis(99));
      t.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(empty == null ? "n/a" : millis(empty.percentileMillis(50)))
          .append(" | ")
          .append(empty == null ? "n/a" : millis(empty.percentileMillis(99)))
          .append(" | ")
          .append(full == null ? "n/a" : millis(full.percentileMillis(50)))
          .append(" | ")
          .append(slowPage ? "**" + p99Loaded + "** (over 200 ms)" : p99Loaded)
          .append(" | ")
          .append(slower ? "**" + ratio(ratio) + "** (over 1.2)" : ratio(ratio))
          .append(" |\n");
      if (slower || slowPage) {
        flagged.add(e.getKey());
      }
    }
    Load.Measurement[] snapshot =
        operations.get("row sync: snapshot create, the user with the most rows");
    if (snapshot != null && snapshot[0] != null && snapshot[1] != null) {
      t.append(
          String.format(
              Locale.ROOT,
              "%nsnapshot create, the user with the most rows: %,d rows at the empty size (the"
                  + " snapshot workload's user), %,d at the loaded size (a heavy user); the"
                  + " snapshot workload's rows compare the same user at both sizes.%n",
              snapshot[0].units() / Math.max(1, snapshot[0].ops()),
              snapshot[1].units() / Math.max(1, snapshot[1].ops())));
    }
    t.append(
        flagged.isEmpty()
            ? "\nNo operation over 1.2x its empty-size p50, no operator page over 200 ms at p99.\n"
            : "\nOver a goal: " + String.join("; ", flagged) + ".\n");
    t.append(
        String.format(
            Locale.ROOT,
            "%n### Retention at the loaded size%n%nWith a window of %,d bundles per user, the heavy"
                + " user %s (its history exactly at the window) pushed %,d more bundles of %d rows"
                + " from a new device, one after another: retained bundles %,d before, %,d after;"
                + " retained floor %,d before, %,d after (every commit pruned its oldest bundle in"
                + " its own transaction), and a pull from the new floor (`after_bundle_seq` at it) was"
                + " refused with `history_pruned`. One client: p50 %s ms, p99 %s ms per bundle (create, chunk,"
                + " commit).%n",
            retention.window(),
            retention.user(),
            retention.pushes().ops(),
            VolumeProbes.BUNDLE_ROWS,
            retention.retainedBefore(),
            retention.retainedAfter(),
            retention.floorBefore(),
            retention.floorAfter(),
            millis(retention.pushes().percentileMillis(50)),
            millis(retention.pushes().percentileMillis(99))));
    t.append("\n### Disk right after the load\n\n");
    t.append(
        "| table group | rows | total (with TOAST and indexes) | indexes | index share"
            + " | added by the load: rows, total, indexes |\n");
    t.append("|---|---:|---:|---:|---:|---:|\n");
    long rowSync = 0;
    long rowSyncIndexes = 0;
    long business = 0;
    long blocks = 0;
    long blockBytes = 0;
    long blockIndexes = 0;
    for (int i = 0; i < disk.size(); i++) {
      Disk.Group g = disk.get(i);
      // What the load added: the run's own workloads wrote rows of other shapes before it (64 and
      // 256 KiB blocks, 100-row bundles), so the figures per million are the load's.
      Disk.Group added = g.minus(diskBefore.get(i));
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %s | %.0f %% | %,d, %s, %s |%n",
              g.name(),
              g.rows(),
              size(g.bytes()),
              size(g.indexBytes()),
              100.0 * g.indexBytes() / Math.max(1, g.bytes()),
              added.rows(),
              size(added.bytes()),
              size(added.indexBytes())));
      if (g.name().startsWith("row sync")) {
        rowSync += added.bytes();
        rowSyncIndexes += added.indexBytes();
      }
      if (g.name().startsWith("row sync: business")) {
        business = added.rows();
      }
      if (g.name().equals("agent state: replication log")) {
        blocks = added.rows();
        blockBytes = added.bytes();
        blockIndexes = added.indexBytes();
      }
    }
    t.append(
        String.format(
            Locale.ROOT,
            "%nWhat the load added, per million business rows (the row-sync groups together:"
                + " business rows, row state, retained history, users): %s, of it indexes %.0f %%."
                + " Per million agent-state blocks of 1 to 4 KiB (replication log): %s, of it"
                + " indexes %.0f %%.%n",
            size(Math.round(rowSync / Math.max(1e-9, business / 1e6))),
            100.0 * rowSyncIndexes / Math.max(1, rowSync),
            size(Math.round(blockBytes / Math.max(1e-9, blocks / 1e6))),
            100.0 * blockIndexes / Math.max(1, blockBytes)));
    return t.toString();
  }

  /** Bytes as MiB or GiB. */
  static String size(long bytes) {
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  static void writeJson(Path file, Map<String, String> run, List<Result> results)
      throws IOException {
    JsonObjectBuilder about = Json.createObjectBuilder();
    run.forEach(about::add);
    JsonArrayBuilder rows = Json.createArrayBuilder();
    for (Result r : results) {
      JsonObjectBuilder row =
          Json.createObjectBuilder()
              .add("label", r.label())
              .add("workload", r.workload())
              .add("unit", r.unit())
              .add("server", measurement(r.server()));
      if (r.floor() != null) {
        row.add("floor", measurement(r.floor()));
      }
      if (r.sample().maxHeapBytes() >= 0) {
        row.add("server_heap_high_water_bytes", r.sample().maxHeapBytes());
        row.add("server_threads_max", r.sample().maxThreads());
      }
      if (!Double.isNaN(r.ratio())) {
        row.add("ratio_to_floor", round(r.ratio(), 3));
      }
      if (r.reference() != null) {
        row.add("reference", measurement(r.reference()));
        if (!Double.isNaN(r.referenceRatio())) {
          row.add("reference_ratio_to_floor", round(r.referenceRatio(), 3));
        }
        if (!Double.isNaN(r.toReference())) {
          row.add("ratio_to_reference", round(r.toReference(), 3));
        }
      }
      if (r.note() != null) {
        row.add("note", r.note());
      }
      rows.add(row);
    }
    JsonObject doc = Json.createObjectBuilder().add("run", about).add("workloads", rows).build();
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        JsonWriter w =
            Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                .createWriter(out)) {
      w.writeObject(doc);
    }
  }

  private static JsonObjectBuilder measurement(Load.Measurement m) {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("units", m.units())
            .add("operations", m.ops())
            .add("seconds", round(m.wallNanos() / 1e9, 3))
            .add("per_second", round(m.perSecond(), 1));
    if (m.ops() > 0) {
      b.add("p50_ms", round(m.percentileMillis(50), 2))
          .add("p99_ms", round(m.percentileMillis(99), 2));
    }
    if (!Double.isNaN(m.cpu().serverMillisPerOp())) {
      b.add("server_cpu_ms_per_op", round(m.cpu().serverMillisPerOp(), 4));
    }
    if (!Double.isNaN(m.cpu().compilerShare())) {
      b.add("server_jit_compiler_cpu_share", round(m.cpu().compilerShare(), 3));
    }
    if (!Double.isNaN(m.cpu().databaseMillisPerOp())) {
      b.add("postgresql_cpu_ms_per_op", round(m.cpu().databaseMillisPerOp(), 4));
    }
    return b;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  /**
   * A bar per workload: the server's throughput as a fraction of its floor's; with a reference
   * server in the run, a second bar for the reference's.
   */
  static void writeChart(Path file, String subtitle, List<Result> results) throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    boolean withReference = results.stream().anyMatch(r -> r.reference() != null);
    double max = 1.0;
    for (Result r : results) {
      if (!Double.isNaN(r.ratio())) {
        data.addValue(r.ratio(), "Sealsync / floor", r.label());
        max = Math.max(max, r.ratio());
      }
      if (withReference) {
        // Every category gets a value in both series, so the bars keep their places.
        data.addValue(
            Double.isNaN(r.referenceRatio()) ? null : r.referenceRatio(),
            REFERENCE + " / floor",
            r.label());
        if (!Double.isNaN(r.referenceRatio())) {
          max = Math.max(max, r.referenceRatio());
        }
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            (withReference ? "Throughput" : "Sealsync throughput")
                + " as a fraction of plain JDBC (the floor)",
            null,
            (withReference ? "server" : "Sealsync")
                + " / floor (1.0 = as fast as PostgreSQL alone)",
            data,
            PlotOrientation.HORIZONTAL,
            withReference,
            false,
            false);
    chart.addSubtitle(new org.jfree.chart.title.TextTitle(subtitle));
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.addRangeMarker(new ValueMarker(1.0, Color.DARK_GRAY, new java.awt.BasicStroke(1.5f)));
    BarRenderer bars = (BarRenderer) plot.getRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setSeriesPaint(0, new Color(0x3b6ea5));
    bars.setSeriesPaint(1, new Color(0xc0792b));
    bars.setShadowVisible(false);
    bars.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.00")));
    bars.setDefaultItemLabelsVisible(true);
    plot.getRangeAxis().setRange(0, max * 1.12); // the floor's line (1.0) always in view
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.3f);
    Files.createDirectories(file.getParent());
    ChartUtils.saveChartAsPNG(
        file.toFile(), chart, 1000, (withReference ? 150 : 120) + 36 * results.size());
  }
}
