package io.sealsync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU time (user plus system) that processes have used, read from {@code /proc/<pid>/stat} as the
 * operating system counts it: what a server costs per operation, whatever runs inside it.
 *
 * <p>PostgreSQL is one postmaster and a process per connection and per background worker. Its CPU
 * is the postmaster's own, plus what its children that have ended used (the kernel adds that to the
 * postmaster's {@code cutime}/{@code cstime} when it reaps them), plus what its live children used
 * so far. So a backend that comes and goes during a load is counted, and so are autovacuum, the WAL
 * writer and the checkpointer: the database's whole cost of the load.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  /** Clock ticks per second of /proc's times (USER_HZ; 100 on Linux on every common platform). */
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  /** Cumulative CPU nanoseconds of what it watches; -1 when it cannot tell. */
  interface Probe {
    long nanos();

    Probe NONE = () -> -1;
  }

  /**
   * What to read around a load: the server process, its JIT compiler threads (part of the server's
   * figure) and PostgreSQL; any of them {@link Probe#NONE}.
   */
  record Meter(Probe server, Probe compiler, Probe database) {
    static final Meter NONE = new Meter(Probe.NONE, Probe.NONE, Probe.NONE);

    long[] read() {
      return new long[] {server.nanos(), compiler.nanos(), database.nanos()};
    }

    Use since(long[] before, long ops) {
      long[] now = read();
      return new Use(
          delta(before[0], now[0]), delta(before[1], now[1]), delta(before[2], now[2]), ops);
    }

    private static long delta(long a, long b) {
      return a < 0 || b < 0 ? -1 : b - a;
    }
  }

  /**
   * The CPU seen over one load, and the load's operations. {@code compilerNanos} is the part of the
   * server's CPU that its JIT compiler threads used: a large share means the server was not in its
   * steady state yet.
   */
  record Use(long serverNanos, long compilerNanos, long databaseNanos, long ops) {
    static final Use NONE = new Use(-1, -1, -1, 0);

    /** The JIT compiler's share of the server's CPU, NaN when unknown. */
    double compilerShare() {
      return serverNanos <= 0 || compilerNanos < 0
          ? Double.NaN
          : (double) compilerNanos / serverNanos;
    }

    /** Server CPU milliseconds per operation, NaN when unknown. */
    double serverMillisPerOp() {
      return perOp(serverNanos);
    }

    /** PostgreSQL CPU milliseconds per operation, NaN when unknown. */
    double databaseMillisPerOp() {
      return perOp(databaseNanos);
    }

    private double perOp(long nanos) {
      return nanos < 0 || ops == 0 ? Double.NaN : nanos / 1e6 / ops;
    }
  }

  /** A single process: a server JVM, or the reference server. */
  static Probe process(long pid) {
    return () -> ticks(pid, false).map(ProcessCpu::nanos).orElse(-1L);
  }

  /**
   * A process with every descendant it has and had: PostgreSQL's postmaster, or a command that runs
   * the server as its child ({@code go run}).
   */
  static Probe tree(long pid) {
    return () -> {
      Optional<Long> own = ticks(pid, true);
      if (own.isEmpty()) {
        return -1L;
      }
      long total = own.get();
      for (ProcessHandle d :
          ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
        total += ticks(d.pid(), false).orElse(0L);
      }
      return nanos(total);
    };
  }

  /**
   * The JVM's JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…} in {@code
   * /proc/<pid>/task/<tid>/comm}). A compiler thread that ended took its CPU with it, so this is a
   * lower bound.
   */
  static Probe compiler(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    return () -> {
      long total = 0;
      try (java.util.stream.Stream<Path> all = Files.list(tasks)) {
        for (Path task : all.toList()) {
          String stat;
          try {
            stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
          } catch (IOException gone) {
            continue;
          }
          int open = stat.indexOf('(');
          if (open >= 0
              && stat.startsWith("C", open + 1)
              && stat.startsWith(" CompilerThre", open + 3)) {
            total += parse(stat, false).orElse(0L);
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        return -1L;
      }
      return nanos(total);
    };
  }

  /** The postmaster's pid, from the first line of {@code postmaster.pid} in its data directory. */
  static Optional<Long> postmasterPid(Path dataDirectory) {
    try {
      String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim();
      return Optional.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * utime + stime (+ cutime + cstime: reaped children) in clock ticks. Fields are counted after the
   * command's closing parenthesis, since a command may contain spaces: utime is field 14.
   */
  static Optional<Long> ticks(long pid, boolean withReapedChildren) {
    String stat;
    try {
      stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    return parse(stat, withReapedChildren);
  }

  static Optional<Long> parse(String stat, boolean withReapedChildren) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    // After ") " come field 3 (state) onwards: utime is field 14, so index 11 here.
    String[] f = stat.substring(close + 2).trim().split(" ");
    if (f.length < 15) {
      return Optional.empty();
    }
    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    if (withReapedChildren) {
      t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return Optional.of(t);
  }

  private static long nanos(long ticks) {
    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | RuntimeException e) {
      // Fall through to Linux's USER_HZ.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
