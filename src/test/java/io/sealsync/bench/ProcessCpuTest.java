package io.sealsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void readsTheTimesAfterACommandWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime ...
    String stat =
        "4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 10 0 0 0 120 30 7 3 20 0 1 0";
    assertEquals(Optional.of(150L), ProcessCpu.parse(stat, false));
    assertEquals(Optional.of(160L), ProcessCpu.parse(stat, true));
  }

  @Test
  void countsTheCpuThisProcessSpends() {
    ProcessCpu.Probe self = ProcessCpu.process(ProcessHandle.current().pid());
    long before = self.nanos();
    long end = System.nanoTime() + 300_000_000L;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(System.nanoTime() ^ x);
    }
    long spent = self.nanos() - before;
    assertTrue(before > 0, "no CPU read for this process");
    assertTrue(spent >= 30_000_000L, "spent " + spent + " ns on 300 ms of work, x=" + x);
  }

  @Test
  void findsThisJvmsCompilerThreads() {
    long jit = ProcessCpu.compiler(ProcessHandle.current().pid()).nanos();
    assertTrue(jit > 0, "no CPU of C1/C2 compiler threads found: " + jit);
  }

  @Test
  void aProcessThatIsGoneIsUnknown() {
    assertEquals(-1, ProcessCpu.tree(Long.MAX_VALUE / 2).nanos());
  }
}
