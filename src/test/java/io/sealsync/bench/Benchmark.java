package io.sealsync.bench;

import io.sealsync.testsupport.DemoSchema;
import io.sealsync.testsupport.DevDatabase;
import io.sealsync.testsupport.Jwts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The benchmark ({@code mvn -Pbench verify}, README "Benchmark"): starts a fresh embedded
 * PostgreSQL with durable settings and the real OpenLiberty server with the built WAR, drives it
 * over HTTP with the workloads of issue 11, runs each workload's plain-JDBC floor against the same
 * database, then stops both, even on failure. Figures, not pass/fail: it fails only when the server
 * answers a request wrongly.
 */
public final class Benchmark {
  private final BenchSettings settings;
  private final ServerLoads server;
  private final Floor floor;
  private final ServerSampler sampler;
  private final DataSource db;

  /** The reference row-sync server's loads and database, or null (no reference in this run). */
  private final ServerLoads reference;

  private final ReferenceServer referenceServer;
  private final List<Report.Result> results = new ArrayList<>();

  /** What each kind of load reads of the CPU: Sealsync's, the reference's, the floor's runs. */
  private ProcessCpu.Meter sealsyncCpu = ProcessCpu.Meter.NONE;

  private ProcessCpu.Meter referenceCpu = ProcessCpu.Meter.NONE;
  private ProcessCpu.Meter floorCpu = ProcessCpu.Meter.NONE;

  /** The snapshot workload's user holds 50,000 rows (scaled), pushed in 1,000-row bundles. */
  private static final int SNAPSHOT_BUNDLE_ROWS = 1000;

  private final int snapshotBundles;
  private String snapshotUser;

  /**
   * The volume profile's second pass, at the loaded size: the server's loads only (no floors, no
   * reference), users named with {@link #prefix}, and each operation's figures kept in {@link
   * #volume} beside the first pass's.
   */
  private boolean loaded;

  private String prefix = "";

  /** Each operation's measurement at the empty size [0] and at the loaded size [1]. */
  private final Map<String, Load.Measurement[]> volume = new LinkedHashMap<>();

  /** The volume profile's report (Markdown), empty without {@code -Dbench.volume}. */
  private String volumeReport = "";

  private Benchmark(
      BenchSettings settings,
      ServerLoads server,
      Floor floor,
      ServerSampler sampler,
      DataSource db,
      ServerLoads reference,
      ReferenceServer referenceServer) {
    this.settings = settings;
    this.server = server;
    this.floor = floor;
    this.sampler = sampler;
    this.db = db;
    this.reference = reference;
    this.referenceServer = referenceServer;
    this.snapshotBundles = Math.max(1, settings.scaled(50_000) / SNAPSHOT_BUNDLE_ROWS);
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    // Reuse an idle connection for at most 20 s: Liberty closes keep-alive connections after 30 s
    // idle (persistTimeout), and a request sent on one just as the server closes it gets no answer.
    // Set before the first HttpClient exists (the JDK reads it once).
    System.setProperty("jdk.httpclient.keepalive.timeout", "20");
    BenchSettings settings = BenchSettings.fromSystemProperties();
    Files.createDirectories(settings.outDir());
    Map<String, String> run = new LinkedHashMap<>();
    run.put("started_at", Instant.now().toString());
    run.put("scale", Double.toString(settings.scale()));
    run.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    run.put("load_average_at_start", loadAverage());
    run.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    run.put("analyze_before_each_load", Boolean.toString(settings.analyze()));
    if (settings.reference() != null) {
      run.put("reference_url", settings.reference().url().toString());
      run.put("reference_database", ReferenceServer.DATABASE);
      run.put(
          "reference_workloads",
          BenchSettings.ALL_WORKLOADS.stream()
              .filter(settings::measuresReference)
              .toList()
              .toString());
    }

    Path pgData = settings.outDir().resolve("pgdata");
    deleteRecursively(pgData);
    Path serverLog = settings.outDir().resolve("server-script.log");
    Path referenceLog = settings.outDir().resolve("reference-server.log");
    for (String previous :
        List.of(
            "server-script.log",
            "reference-server.log",
            "results.json",
            "results.md",
            "results.png")) {
      Files.deleteIfExists(settings.outDir().resolve(previous));
    }
    List<Report.Result> results = List.of();
    Benchmark[] volumeRun = {null};
    Exception failure = null;
    System.out.println("[bench] PostgreSQL on port " + settings.dbPort() + ", data in " + pgData);
    try (EmbeddedPostgres pg =
            withStatementLog(
                    // Durable, as the run command's: every commit waits until its WAL is on disk.
                    DevDatabase.durable(settings.dbPort(), pgData)
                        .setCleanDataDirectory(true)
                        .setServerConfig("max_connections", "300"),
                    settings)
                .start();
        BenchServer appServer = BenchServer.of(settings, serverLog)) {
      run.put("server", appServer.description());
      DataSource db = pg.getPostgresDatabase();
      DemoSchema.create(db);
      run.put("postgresql", postgresSettings(db));
      ReferenceServer[] referenceServer = {null};
      Thread stopOnExit =
          new Thread(
              () -> {
                quietly(appServer);
                quietly(referenceServer[0]);
              });
      Runtime.getRuntime().addShutdownHook(stopOnExit);
      try {
        ServerLoads reference = null;
        if (settings.reference() != null) {
          BenchSettings.Reference ref = settings.reference();
          referenceServer[0] = ReferenceServer.start(ref, pg, settings.dbPort(), referenceLog);
          System.out.println(
              "[bench] "
                  + elapsed()
                  + (ref.command().isEmpty()
                      ? " waiting for the reference server at "
                          + ref.url()
                          + " (start it now, with DATABASE_URL="
                          + ReferenceServer.databaseUrl(settings.dbPort())
                          + ")"
                      : " started the reference server " + ref.command() + " on " + ref.url()));
          reference =
              new ServerLoads(
                  ref.url(), user -> Jwts.sign(user, "sealsync-bench", ref.jwtSecret()));
          referenceServer[0].awaitReady(reference.http(), Duration.ofMinutes(3));
        }
        System.out.println(
            "[bench] "
                + elapsed()
                + " starting "
                + appServer.description()
                + " on http://localhost:"
                + settings.httpPort());
        appServer.start();
        ServerLoads server =
            new ServerLoads(URI.create("http://localhost:" + settings.httpPort() + "/").toURL());
        appServer.awaitReady(server.http(), Duration.ofMinutes(3));
        long pid = appServer.pid();
        try (ServerSampler sampler = ServerSampler.attach(pid)) {
          if (!sampler.available()) {
            run.put("sampler", sampler.unavailableReason);
          }
          Floor floor = new Floor(db);
          floor.createTables();
          Benchmark bench =
              new Benchmark(settings, server, floor, sampler, db, reference, referenceServer[0]);
          results = bench.results;
          volumeRun[0] = bench;
          ProcessCpu.Probe database =
              ProcessCpu.postmasterPid(pgData).map(ProcessCpu::tree).orElse(ProcessCpu.Probe.NONE);
          bench.sealsyncCpu =
              new ProcessCpu.Meter(ProcessCpu.process(pid), ProcessCpu.compiler(pid), database);
          bench.floorCpu =
              new ProcessCpu.Meter(ProcessCpu.Probe.NONE, ProcessCpu.Probe.NONE, database);
          if (referenceServer[0] != null) {
            bench.referenceCpu =
                new ProcessCpu.Meter(referenceServer[0].cpu(), ProcessCpu.Probe.NONE, database);
          }
          bench.warmUp();
          bench.measure();
          if (settings.volume() != null) {
            bench.volumeProfile();
          }
        }
      } catch (Exception e) {
        failure = e;
      } finally {
        System.out.println("[bench] " + elapsed() + " stopping the server and PostgreSQL");
        quietly(appServer);
        if (referenceServer[0] != null) {
          referenceServer[0]
              .rssHighWater()
              .ifPresent(rss -> run.put("reference_rss_high_water", rss));
          quietly(referenceServer[0]);
        }
        try {
          Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
          // The hook runs anyway.
        }
      }
    }
    run.put("finished_at", Instant.now().toString());
    run.put("load_average_at_end", loadAverage());
    if (!results.isEmpty()) {
      String table =
          Report.table(results) + (volumeRun[0] == null ? "" : volumeRun[0].volumeReport);
      Files.writeString(settings.outDir().resolve("results.md"), table);
      Report.writeJson(settings.outDir().resolve("results.json"), run, results);
      Report.writeChart(
          settings.outDir().resolve("results.png"),
          String.format(
              Locale.ROOT,
              "%s cores, scale %s, PostgreSQL fsync=on synchronous_commit=on, %s",
              run.get("cores"),
              run.get("scale"),
              run.get("started_at").substring(0, 10)),
          results);
      System.out.println();
      System.out.println(
          "Sealsync benchmark ("
              + run.get("cores")
              + " cores, scale "
              + settings.scale()
              + ", load average at start "
              + run.get("load_average_at_start")
              + "):");
      System.out.println();
      System.out.println(table);
      System.out.println(
          "[bench] written: "
              + settings.outDir().resolve("results.json")
              + ", results.md, results.png");
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * With {@code -Dbench.pg.log-min-duration-ms=N}, PostgreSQL logs every statement taking N ms or
   * more, and every lock wait over 20 ms, to target/bench/pglog: where the database's time goes.
   */
  private static EmbeddedPostgres.Builder withStatementLog(
      EmbeddedPostgres.Builder pg, BenchSettings settings) {
    String minDuration = System.getProperty("bench.pg.log-min-duration-ms");
    if (minDuration == null) {
      return pg;
    }
    return pg.setServerConfig("logging_collector", "on")
        .setServerConfig("log_directory", settings.outDir().resolve("pglog").toString())
        .setServerConfig("log_min_duration_statement", minDuration)
        .setServerConfig("log_lock_waits", "on")
        .setServerConfig("deadlock_timeout", "20ms");
  }

  /**
   * A short warm-up of every path, the same at every scale: the server's JIT compiles its hot code
   * and its pools fill before anything is measured. Meanwhile one device pushes the rows of the
   * snapshot workload's user (one user's pushes are serialized, so this takes a while and is itself
   * a warm-up of the push path).
   */
  private void warmUp() throws Exception {
    long t0 = System.nanoTime();
    int seedBundles = settings.measures("snapshot") ? snapshotBundles : 0;
    System.out.printf(
        Locale.ROOT,
        "[bench] %s warming up, and seeding %,d rows for the snapshot%n",
        elapsed(),
        seedBundles * SNAPSHOT_BUNDLE_ROWS);
    snapshotUser = server.newUsers("snapshot", 1).get(0);
    ExecutorService seeder = Executors.newSingleThreadExecutor();
    try {
      Future<?> seeding =
          seeder.submit(() -> server.seed(snapshotUser, seedBundles, SNAPSHOT_BUNDLE_ROWS));
      List<String> users = server.newUsers("warm-up", 4);
      Duration limit = settings.workloadLimit();
      Blocks blocks = Blocks.random(64 * 1024, 4, 1);
      long budgetEnds = System.nanoTime() + settings.warmUp().toNanos();
      int rounds = 0;
      do {
        List<String> roundUsers = rounds == 0 ? users : server.newUsers("warm-up-" + rounds, 4);
        Load.run(4, 20, limit, server.push(roundUsers, 100));
        Load.run(4, 20, limit, server.push(server.newUsers("warm-up-small-" + rounds, 4), 5));
        if (rounds == 0) {
          analyze();
        }
        Load.run(4, 2, limit, server.pull(roundUsers));
        Load.run(4, 250, limit, server.capabilities(roundUsers));
        server.snapshot(roundUsers.get(0), 2, limit);
        Load.run(4, 40, limit, server.replicate(blocks));
        rounds++;
      } while (System.nanoTime() < budgetEnds);
      System.out.printf(
          Locale.ROOT, "[bench] %s %d warm-up rounds of the server's paths%n", elapsed(), rounds);
      Load.run(4, 10, limit, floor.push(users, 100));
      Load.run(4, 2, limit, floor.pull(users));
      Load.run(1, 5, limit, floor.selectAll(users.get(0)));
      Load.run(1, 10, limit, floor.selectPages(users.get(0), 300));
      Load.run(4, 20, limit, floor.replicate(blocks));
      if (reference != null) {
        List<String> referenceUsers = reference.newUsers("warm-up", 4);
        Load.run(4, 20, limit, reference.push(referenceUsers, 100));
        analyze();
        Load.run(4, 2, limit, reference.pull(referenceUsers));
      }
      seeding.get();
    } finally {
      seeder.shutdownNow();
    }
    System.out.printf(
        Locale.ROOT, "[bench] %s warm-up took %.0f s%n", elapsed(), (System.nanoTime() - t0) / 1e9);
  }

  /** Right before a measured server load: fresh planner statistics, a new sampling window. */
  private void beforeMeasuring() throws SQLException {
    analyze();
    sampler.startWindow();
  }

  /**
   * ANALYZE of the whole database, which autovacuum would do soon after any bulk change; doing it
   * here keeps the figures from depending on when autovacuum happens to run. Without statistics
   * right after seeding, some of today's queries take quadratic plans (snapshot create: a nested
   * loop); {@code -Dbench.analyze=false} measures that state.
   */
  private void analyze() throws SQLException {
    if (!settings.analyze()) {
      return;
    }
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE");
    }
    if (referenceServer != null) {
      referenceServer.analyze();
    }
  }

  private void measure() throws Exception {
    if (settings.measures("request")) {
      requestFloor();
    }
    Pushers pushers =
        settings.measures("push100") || settings.measures("pull")
            ? push("push100", 8, settings.scaled(60), 100)
            : new Pushers(List.of(), List.of());
    if (settings.measures("push5")) {
      push("push5", 16, settings.scaled(60), 5);
    }
    if (settings.measures("push1")) {
      push("push1", 8, settings.scaled(100), 1);
    }
    if (settings.measures("push1000")) {
      push("push1000", 8, settings.scaled(8), 1000);
    }
    if (settings.measures("pull")) {
      pull(pushers);
    }
    if (settings.measures("snapshot")) {
      snapshot();
    }
    if (settings.measures("replicate64")) {
      replicate(64, settings.scaled(250));
    }
    if (settings.measures("replicate256")) {
      replicate(256, settings.scaled(60));
    }
    if (settings.measures("watch")) {
      watchWhilePushing();
    }
  }

  /**
   * The per-request floor: what the server spends on a request that only authenticates, for the
   * side of a small push or replicate that is the container's (issue 24). 8 clients, like the small
   * pushes; no plain-JDBC floor, since no database work is done.
   */
  private void requestFloor() throws Exception {
    int requests = settings.scaled(2000);
    List<String> users = server.newUsers(prefix + "request", 8);
    beforeMeasuring();
    Load.Measurement m =
        Load.run(8, requests, settings.workloadLimit(), server.capabilities(users), sealsyncCpu);
    ServerSampler.Window w = sampler.endWindow();
    if (loaded) {
      compare("request floor", m);
      return;
    }
    Load.Measurement ref = null;
    if (settings.measuresReference("request")) {
      ref =
          Load.run(
              8,
              requests,
              settings.workloadLimit(),
              reference.capabilities(reference.newUsers("request", 8)),
              referenceCpu);
    }
    addResult(
        "request floor",
        String.format(
            Locale.ROOT,
            "request floor: GET /sync/capabilities, authenticated, 8 clients x %s",
            plural(requests, "request")),
        "req/s",
        m,
        w,
        null,
        null,
        ref);
  }

  /** Pull: new devices of the users of the first push workload read their whole history. */
  private void pull(Pushers pushers) throws Exception {
    Duration limit = settings.workloadLimit();
    int rounds = settings.scaled(20);
    beforeMeasuring();
    Load.Measurement pulled =
        Load.run(8, rounds, limit, server.pull(pushers.sealsync()), sealsyncCpu);
    ServerSampler.Window pullWindow = sampler.endWindow();
    if (loaded) {
      compare("pull", pulled);
      return;
    }
    // The reference right after Sealsync, before the floor: the servers alternate in one run.
    Load.Measurement ref = null;
    if (settings.measuresReference("pull")) {
      analyze();
      ref = Load.run(8, rounds, limit, reference.pull(pushers.reference()), referenceCpu);
    }
    Load.Measurement pullFloor =
        Load.run(8, rounds, limit, floor.pull(pushers.sealsync()), floorCpu);
    addResult(
        "pull",
        String.format(
            Locale.ROOT,
            "pull, 8 new devices x %,d rows (%s)",
            pulled.units() / Math.max(1, pulled.ops()),
            plural(rounds, "round")),
        "rows/s",
        pulled,
        pullWindow,
        pullFloor,
        null,
        ref);
  }

  /** The users of a push workload on Sealsync, and on the reference server (empty if none). */
  private record Pushers(List<String> sealsync, List<String> reference) {}

  /** A push workload of fresh users and its floor; returns the users. */
  private Pushers push(String name, int clients, int bundles, int rows) throws Exception {
    List<String> users = server.newUsers(prefix + name, clients);
    // Pull reads the 100-row push's history, so the reference pushes it also for a pull alone.
    boolean onReference =
        !loaded
            && (settings.measuresReference(name)
                || (name.equals("push100") && settings.measuresReference("pull")));
    List<String> referenceUsers = onReference ? reference.newUsers(name, clients) : List.of();
    beforeMeasuring();
    Load.Measurement m =
        Load.run(clients, bundles, settings.workloadLimit(), server.push(users, rows), sealsyncCpu);
    ServerSampler.Window w = sampler.endWindow();
    String label = String.format(Locale.ROOT, "push %,d-row bundles", rows);
    if (loaded) {
      compare(label, m);
      return new Pushers(users, List.of());
    }
    Load.Measurement ref = null;
    if (onReference) { // right after Sealsync, before the floor: the servers alternate
      analyze();
      ref =
          Load.run(
              clients,
              bundles,
              settings.workloadLimit(),
              reference.push(referenceUsers, rows),
              referenceCpu);
    }
    Load.Measurement f =
        Load.run(clients, bundles, settings.workloadLimit(), floor.push(users, rows), floorCpu);
    addResult(
        label,
        String.format(
            Locale.ROOT,
            "push, %d clients x %s x %s",
            clients,
            plural(bundles, "bundle"),
            plural(rows, "row")),
        "rows/s",
        m,
        w,
        f,
        null,
        ref);
    return new Pushers(users, referenceUsers);
  }

  /** Snapshot sessions of the user seeded during the warm-up. */
  private void snapshot() throws Exception {
    String user = snapshotUser;
    int rows = snapshotBundles * SNAPSHOT_BUNDLE_ROWS;
    if (!loaded) {
      floor.seed(user, snapshotBundles, SNAPSHOT_BUNDLE_ROWS);
    }
    int iterations = settings.scaled(3);
    beforeMeasuring();
    ServerLoads.SnapshotTimes s = server.snapshot(user, iterations, settings.workloadLimit());
    ServerSampler.Window w = sampler.endWindow();
    if (loaded) {
      compare("snapshot create", s.create());
      compare("snapshot read", s.read());
      return;
    }
    int pages = (rows + ServerLoads.SNAPSHOT_PAGE_ROWS - 1) / ServerLoads.SNAPSHOT_PAGE_ROWS;
    Load.Measurement all =
        Load.run(
            1, (int) s.create().ops(), settings.workloadLimit(), floor.selectAll(user), floorCpu);
    Load.Measurement paged =
        Load.run(
            1,
            (int) s.create().ops() * pages,
            settings.workloadLimit(),
            floor.selectPages(user, ServerLoads.SNAPSHOT_PAGE_ROWS),
            floorCpu);
    addResult(
        "snapshot create",
        String.format(Locale.ROOT, "snapshot session create, %,d rows", rows),
        "rows/s",
        s.create(),
        w,
        all,
        null,
        null);
    addResult(
        "snapshot read",
        String.format(
            Locale.ROOT,
            "snapshot session read, %,d rows in pages of %,d",
            rows,
            ServerLoads.SNAPSHOT_PAGE_ROWS),
        "rows/s",
        s.read(),
        w,
        paged,
        null,
        null);
  }

  private void replicate(int kib, int blocks) throws Exception {
    Blocks data = Blocks.random(kib * 1024, 8, kib);
    beforeMeasuring();
    Load.Measurement m =
        Load.run(16, blocks, settings.workloadLimit(), server.replicate(data), sealsyncCpu);
    ServerSampler.Window w = sampler.endWindow();
    if (loaded) {
      compare(String.format(Locale.ROOT, "replicate %d KiB", kib), m);
      return;
    }
    Load.Measurement f =
        Load.run(16, blocks, settings.workloadLimit(), floor.replicate(data), floorCpu);
    addResult(
        String.format(Locale.ROOT, "replicate %d KiB", kib),
        String.format(
            Locale.ROOT,
            "replicate, 16 tenants x %s of one %d KiB block",
            plural(blocks, "request"),
            kib),
        "req/s",
        m,
        w,
        f,
        null,
        null);
  }

  /** The 100-row push again, while watch streams are open on its users (rowsync.md §15). */
  private void watchWhilePushing() throws Exception {
    int streams = settings.watchers();
    int bundles = settings.scaled(20);
    List<String> users = server.newUsers(prefix + "watched", 8);
    long heapBefore = sampler.liveHeapBytes();
    int threadsBefore = sampler.threadCount();
    System.out.printf(Locale.ROOT, "[bench] %s opening %,d watch streams%n", elapsed(), streams);
    Load.Measurement m;
    ServerSampler.Window w;
    long heapOpen;
    int threadsOpen;
    long events;
    int ended;
    try (ServerLoads.Watchers watchers = server.watch(users, streams)) {
      Thread.sleep(1000);
      heapOpen = sampler.liveHeapBytes();
      threadsOpen = sampler.threadCount();
      beforeMeasuring();
      m = Load.run(8, bundles, settings.workloadLimit(), server.push(users, 100), sealsyncCpu);
      w = sampler.endWindow();
      Thread.sleep(1000); // the last events on their way
      events = watchers.events();
      ended = watchers.ended();
    }
    if (loaded) {
      compare(String.format(Locale.ROOT, "push + %,d watchers", streams), m);
      return;
    }
    Load.Measurement f =
        Load.run(8, bundles, settings.workloadLimit(), floor.push(users, 100), floorCpu);
    String note =
        String.format(
            Locale.ROOT,
            "%,d watch streams open (%d ended early), %,d events received; server threads %s"
                + " before opening them, %s with them open; server heap live after a full GC %s"
                + " before, %s with them open",
            streams,
            ended,
            events,
            count(threadsBefore),
            count(threadsOpen),
            heapBefore < 0 ? "n/a" : Report.mib(heapBefore),
            heapOpen < 0 ? "n/a" : Report.mib(heapOpen));
    addResult(
        String.format(Locale.ROOT, "push + %,d watchers", streams),
        String.format(
            Locale.ROOT,
            "push, 8 clients x %s x 100 rows, %,d watch streams open",
            plural(bundles, "bundle"),
            streams),
        "rows/s",
        m,
        w,
        f,
        note,
        null);
  }

  /**
   * Keeps an operation's figures of this pass for the volume profile's table (and prints those of
   * the loaded pass, which has no other line).
   */
  private void compare(String operation, Load.Measurement m) {
    volume.computeIfAbsent(operation, k -> new Load.Measurement[2])[loaded ? 1 : 0] = m;
    if (loaded) {
      printVolume(operation, m);
    }
  }

  /**
   * The volume profile ({@code -Dbench.volume}, docs/benchmark.md): after the usual measurements,
   * the operations of {@link VolumeProbes} at the empty size; then the load, VACUUM ANALYZE (what
   * autovacuum does after bulk writes), the load's check through the protocols, and every workload
   * and operation again at the loaded size; the table of both and the disk they take.
   */
  private void volumeProfile() throws Exception {
    VolumeLoad.Size size = settings.volume();
    VolumeProbes probes = new VolumeProbes(server.http());
    System.out.printf(
        Locale.ROOT,
        "[bench] %s volume profile: the empty size's long log, history and ledger%n",
        elapsed());
    VolumeProbes.Targets empty = probes.prepareEmpty(snapshotUser, 4000, 400);
    probe(probes, empty);
    String before = Disk.databaseSize(db);
    List<Disk.Group> diskBefore = Disk.groups(db);
    System.out.printf(
        Locale.ROOT,
        "[bench] %s loading the volume size %s: %,d business rows over %,d row-sync users, %,d"
            + " bundles, %,d blocks over %,d tenants%n",
        elapsed(),
        size.name(),
        size.businessRows(),
        size.users(),
        size.bundles(),
        size.blocks(),
        size.tenants());
    VolumeLoad.Loaded load = VolumeLoad.load(db, size);
    long v0 = System.nanoTime();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE");
    }
    long vacuumSeconds = Math.round((System.nanoTime() - v0) / 1e9);
    String after = Disk.databaseSize(db);
    List<Disk.Group> diskAfter = Disk.groups(db);
    System.out.printf(
        Locale.ROOT,
        "[bench] %s loaded in %d s, VACUUM ANALYZE %d s; database %s (%s before)%n",
        elapsed(),
        load.seconds(),
        vacuumSeconds,
        after,
        before);
    probes.check(load, size, db);
    System.out.printf(
        Locale.ROOT,
        "[bench] %s the load reads back through the protocols as written%n",
        elapsed());
    loaded = true;
    prefix = "loaded-";
    measure();
    VolumeProbes.RetentionRun retention = probe(probes, VolumeProbes.loaded(size));
    volumeReport =
        Report.volume(
            size,
            load.seconds(),
            vacuumSeconds,
            before,
            after,
            volume,
            retention,
            diskBefore,
            diskAfter);
  }

  /**
   * The volume profile's own operations against {@code targets}, at this pass's size; at the loaded
   * size also retention at the window, before the snapshot creates (whose deleted sessions leave
   * autovacuum work behind). Returns the retention run, or null at the empty size.
   */
  private VolumeProbes.RetentionRun probe(VolumeProbes probes, VolumeProbes.Targets targets)
      throws Exception {
    analyze();
    for (VolumeProbes.Probe p : probes.probes(targets, settings)) {
      Load.Measurement m = Load.run(p.clients(), p.ops(), settings.workloadLimit(), p.load());
      compare(p.label(), m);
      if (!loaded) {
        printVolume(p.label(), m);
      }
    }
    VolumeProbes.RetentionRun retention = null;
    if (loaded) {
      retention =
          probes.retention(
              VolumeLoad.RETENTION_USER,
              settings.retentionWindow(),
              settings.scaled(200),
              settings.workloadLimit(),
              db);
      System.out.printf(
          Locale.ROOT,
          "[bench] %s retention at the window: %,d bundles pushed, retained %,d -> %,d, p50 %.1f"
              + " ms%n",
          elapsed(),
          retention.pushes().ops(),
          retention.retainedBefore(),
          retention.retainedAfter(),
          retention.pushes().percentileMillis(50));
    }
    String label = "row sync: snapshot create, the user with the most rows";
    Load.Measurement m =
        probes.snapshotCreates(targets.rowsUser(), settings.scaled(3), settings.workloadLimit());
    compare(label, m);
    if (!loaded) {
      printVolume(label, m);
    }
    return retention;
  }

  private void printVolume(String label, Load.Measurement m) {
    System.out.printf(
        Locale.ROOT,
        "[bench] %s %s (%s): p50 %.1f ms, p99 %.1f ms%n",
        elapsed(),
        label,
        loaded ? "loaded" : "empty",
        m.percentileMillis(50),
        m.percentileMillis(99));
  }

  private static String plural(int n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  private static final long STARTED = System.nanoTime();

  /** Minutes and seconds since the benchmark started, for its progress lines. */
  private static String elapsed() {
    long s = (System.nanoTime() - STARTED) / 1_000_000_000L;
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private static String count(int n) {
    return n < 0 ? "n/a" : Integer.toString(n);
  }

  private void addResult(
      String label,
      String workload,
      String unit,
      Load.Measurement server,
      ServerSampler.Window w,
      Load.Measurement floorRun,
      String note,
      Load.Measurement referenceRun) {
    Report.Result r =
        new Report.Result(label, workload, unit, server, w, floorRun, note, referenceRun);
    results.add(r);
    compare(label, server);
    System.out.printf(
        Locale.ROOT,
        "[bench] %s %s: %,.0f %s, p50 %.1f ms, p99 %.1f ms, CPU per op: server %.3f ms (JIT"
            + " compiler %.0f %% of it), PostgreSQL %.3f ms; floor %,.0f %s; ratio %.2f%n",
        elapsed(),
        workload,
        server.perSecond(),
        unit,
        server.percentileMillis(50),
        server.percentileMillis(99),
        server.cpu().serverMillisPerOp(),
        server.cpu().compilerShare() * 100,
        server.cpu().databaseMillisPerOp(),
        floorRun == null ? Double.NaN : floorRun.perSecond(),
        unit,
        r.ratio());
    if (referenceRun != null) {
      System.out.printf(
          Locale.ROOT,
          "[bench] %s   %s, same workload: %,.0f %s, p50 %.1f ms, p99 %.1f ms, CPU per op:"
              + " server %.3f ms, PostgreSQL %.3f ms; Sealsync / reference %.2f%n",
          elapsed(),
          Report.REFERENCE,
          referenceRun.perSecond(),
          unit,
          referenceRun.percentileMillis(50),
          referenceRun.percentileMillis(99),
          referenceRun.cpu().serverMillisPerOp(),
          referenceRun.cpu().databaseMillisPerOp(),
          r.toReference());
    }
  }

  private static String postgresSettings(DataSource db) throws SQLException {
    StringBuilder s = new StringBuilder();
    try (Connection c = db.getConnection();
        Statement st = c.createStatement()) {
      for (String name : List.of("server_version", "fsync", "synchronous_commit")) {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          s.append(s.length() == 0 ? "" : ", ").append(name).append('=').append(rs.getString(1));
        }
      }
    }
    return s.toString();
  }

  /** The 1, 5 and 15 minute load averages (Linux), to tell a busy machine's figures. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static void quietly(AutoCloseable server) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (Exception e) {
      System.out.println("[bench] stopping " + server.getClass().getSimpleName() + " failed: " + e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
