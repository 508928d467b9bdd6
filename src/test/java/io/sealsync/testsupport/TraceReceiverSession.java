package io.sealsync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * One OTLP receiver per integration-test JVM, up before the test servers start and until they stop:
 * they export every request's span to it ({@code sealsync.tracing.otlp.endpoint}), so that {@code
 * TracingIT} sees them and no server logs a failed export.
 */
public class TraceReceiverSession implements LauncherSessionListener {
  private static volatile OtlpReceiver receiver;

  /** The session's receiver, or null outside the integration tests. */
  public static OtlpReceiver receiver() {
    return receiver;
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!Boolean.getBoolean("sealsync.test.embeddedPostgres")) {
      return;
    }
    int port = Integer.getInteger("sealsync.test.otlp.port", 14318);
    // The previous test JVM (another server's run) may still be letting go of the port.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        receiver = new OtlpReceiver(port).start();
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new UncheckedIOException("could not start the OTLP receiver on port " + port, e);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (receiver != null) {
      receiver.close();
    }
  }
}
