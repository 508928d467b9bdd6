package io.sealsync.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a closed-loop load: a fixed number of clients, each on its own thread, each doing its
 * operations one after another as fast as the server answers. Setup (opening a client) is not
 * timed; all clients start together.
 */
final class Load {
  private Load() {}

  /** One client's session: its operations, numbered from 0. */
  interface Client extends AutoCloseable {
    /** Does operation {@code index}; returns the rows or blocks it moved. */
    long op(int index) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  interface Clients {
    Client open(int client) throws Exception;
  }

  /**
   * {@code clients} clients each do {@code ops} operations, or fewer when {@code limit} has passed
   * (a client finishes the operation it is in). The first failure stops every client and is thrown.
   */
  static Measurement run(int clients, int ops, Duration limit, Clients factory) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    long[] startedAt = new long[1];
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        results.add(
            pool.submit(
                () -> {
                  try (Client session = open(factory, client, ready)) {
                    go.await();
                    long deadline = startedAt[0] + limit.toNanos();
                    long units = 0;
                    long[] latencies = new long[ops];
                    int done = 0;
                    while (done < ops && !stop.get() && System.nanoTime() < deadline) {
                      long t0 = System.nanoTime();
                      units += session.op(done);
                      latencies[done++] = System.nanoTime() - t0;
                    }
                    long[] out = Arrays.copyOf(latencies, done + 1);
                    out[done] = units; // the last slot carries the units
                    return out;
                  } catch (Exception | Error e) {
                    stop.set(true);
                    throw e;
                  }
                }));
      }
      ready.await();
      startedAt[0] = System.nanoTime();
      go.countDown();
      long units = 0;
      List<long[]> latencies = new ArrayList<>();
      Exception failure = null;
      for (Future<long[]> f : results) {
        try {
          long[] r = f.get();
          units += r[r.length - 1];
          latencies.add(Arrays.copyOf(r, r.length - 1));
        } catch (java.util.concurrent.ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof Exception ex ? ex : e;
          }
        }
      }
      long wall = System.nanoTime() - startedAt[0];
      if (failure != null) {
        throw failure;
      }
      return Measurement.of(units, wall, latencies);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Opens a client; a failure to open still releases the start latch so that nobody waits. */
  private static Client open(Clients factory, int client, CountDownLatch ready) throws Exception {
    try {
      return factory.open(client);
    } finally {
      ready.countDown();
    }
  }

  /** {@link #run}, counting the CPU that the server and PostgreSQL used meanwhile. */
  static Measurement run(
      int clients, int ops, Duration limit, Clients factory, ProcessCpu.Meter cpu)
      throws Exception {
    long[] before = cpu.read();
    Measurement m = run(clients, ops, limit, factory);
    return m.withCpu(cpu.since(before, m.ops()));
  }

  /**
   * What a load achieved: units (rows or blocks) over wall time, per-operation latency, and the CPU
   * the server and PostgreSQL spent on it ({@link ProcessCpu.Use#NONE} when not measured).
   */
  record Measurement(
      long units, long ops, long wallNanos, long[] sortedLatencies, ProcessCpu.Use cpu) {
    static Measurement of(long units, long wallNanos, List<long[]> latencies) {
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return new Measurement(units, all.length, wallNanos, all, ProcessCpu.Use.NONE);
    }

    Measurement withCpu(ProcessCpu.Use use) {
      return new Measurement(units, ops, wallNanos, sortedLatencies, use);
    }

    double perSecond() {
      return wallNanos == 0 ? 0 : units * 1e9 / wallNanos;
    }

    /** The nearest-rank percentile of the operation latencies, in milliseconds. */
    double percentileMillis(double p) {
      if (sortedLatencies.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sortedLatencies.length);
      return sortedLatencies[Math.max(0, Math.min(sortedLatencies.length - 1, rank - 1))] / 1e6;
    }
  }
}
