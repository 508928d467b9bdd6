package io.sealsync.bench;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Samples the server JVM's used heap and live thread count every 100 ms while a load runs.
 *
 * <p>How: the JDK's attach API ({@code jdk.attach}) asks the server JVM, by its process id, to
 * start its local JMX agent (no port, no restart, no extra server option), and the platform MXBeans
 * are read over that connection. Attaching needs the same user and the same machine, which the
 * benchmark has; when it still fails (e.g. a JVM started with {@code -XX:+DisableAttachMechanism})
 * the table shows no heap figures and the run goes on. "Heap high-water" is the largest sampled
 * used heap, garbage included; {@link #liveHeapBytes()} forces a collection first and measures what
 * stays reachable.
 */
final class ServerSampler implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 100;

  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final ThreadMXBean threads;
  private final Thread sampler;
  private final AtomicLong maxHeap = new AtomicLong();
  private final AtomicInteger maxThreads = new AtomicInteger();
  private volatile boolean running = true;
  final String unavailableReason;

  /** The heap high-water and the most live threads seen in one window. */
  record Window(long maxHeapBytes, int maxThreads) {
    static final Window NONE = new Window(-1, -1);
  }

  private ServerSampler(JMXConnector connector, MBeanServerConnection mbeans, String reason)
      throws java.io.IOException {
    this.connector = connector;
    this.unavailableReason = reason;
    if (mbeans == null) {
      memory = null;
      threads = null;
      sampler = null;
      return;
    }
    memory =
        ManagementFactory.newPlatformMXBeanProxy(
            mbeans, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    threads =
        ManagementFactory.newPlatformMXBeanProxy(
            mbeans, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    sampler = new Thread(this::sampleLoop, "server-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  static ServerSampler attach(long pid) {
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
      return new ServerSampler(c, c.getMBeanServerConnection(), null);
    } catch (Exception | LinkageError e) {
      String reason = "cannot attach to the server JVM " + pid + ": " + e;
      System.out.println("[bench] " + reason + "; heap and threads will not be reported");
      try {
        return new ServerSampler(null, null, reason);
      } catch (java.io.IOException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  boolean available() {
    return memory != null;
  }

  private void sampleLoop() {
    while (running) {
      try {
        maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        maxThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The server is stopping, or one sample was lost: the window keeps what it has.
        if (!running) {
          return;
        }
      }
    }
  }

  /** Starts a new window (the maxima start from the current values). */
  void startWindow() {
    if (!available()) {
      return;
    }
    maxHeap.set(memory.getHeapMemoryUsage().getUsed());
    maxThreads.set(threads.getThreadCount());
  }

  Window endWindow() {
    if (!available()) {
      return Window.NONE;
    }
    maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    maxThreads.accumulateAndGet(threads.getThreadCount(), Math::max);
    return new Window(maxHeap.get(), maxThreads.get());
  }

  /** Heap still in use after a full collection, or -1. */
  long liveHeapBytes() {
    if (!available()) {
      return -1;
    }
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  int threadCount() {
    return available() ? threads.getThreadCount() : -1;
  }

  @Override
  public void close() {
    running = false;
    if (sampler != null) {
      sampler.interrupt();
    }
    if (connector != null) {
      try {
        connector.close();
      } catch (Exception ignored) {
        // The server may already be gone.
      }
    }
  }
}
