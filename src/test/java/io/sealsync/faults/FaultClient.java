package io.sealsync.faults;

import io.sealsync.testsupport.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of a fault test on its own thread: sends over the nodes in turn, retries what the
 * shipping clients retry (transport failures, 429 and 503 after Retry-After) and counts only what
 * the server acknowledged.
 */
abstract class FaultClient implements Runnable {
  final String name;
  final List<Http> nodes;
  final Tally tally;
  final AtomicLong acknowledged = new AtomicLong();
  private volatile boolean stopping;
  private volatile Throwable failure;
  private int turn;

  FaultClient(String name, List<Http> nodes, Tally tally) {
    this.name = name;
    this.nodes = nodes;
    this.tally = tally;
  }

  /** Writes until {@link #stop()}: each acknowledged write is recorded before the next starts. */
  abstract void work() throws Exception;

  @Override
  public final void run() {
    try {
      work();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure = t;
      tally.violation(name + " failed: " + t);
    }
  }

  void stop() {
    stopping = true;
  }

  boolean stopping() {
    return stopping;
  }

  Throwable failure() {
    return failure;
  }

  /**
   * One request to the next node: the answer, or null when the request must be tried again (no
   * answer at all, or 429/503, after waiting as told).
   */
  HttpResponse<byte[]> call(
      String what,
      String method,
      String path,
      String authorization,
      Map<String, String> headers,
      byte[] body)
      throws InterruptedException {
    Http node = nodes.get(Math.floorMod(turn++, nodes.size()));
    long started = System.nanoTime();
    HttpResponse<byte[]> r;
    try {
      r = node.exchange(method, path, authorization, headers, body);
    } catch (IOException e) {
      tally.transportFailure();
      Thread.sleep(250);
      return null;
    }
    long wait =
        tally.answer(
            name + " " + what, r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    if (wait > 0) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(wait));
      return null;
    }
    return r;
  }

  /** An answer a client cannot go on from: recorded, and the client ends. */
  IllegalStateException unexpected(String what, HttpResponse<byte[]> r) {
    return new IllegalStateException(what + " answered " + r.statusCode() + ": " + Tally.body(r));
  }
}
