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
