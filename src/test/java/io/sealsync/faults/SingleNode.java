package io.sealsync.faults;

import io.sealsync.testsupport.CrashablePostgres;
import io.sealsync.testsupport.NodeProcess;

/**
 * One server node on a crashable database of its own, with what every single-node fault test needs:
 * the whole row-sync history kept for the check, and no rate limit on reading it back.
 */
final class SingleNode implements AutoCloseable {
  final CrashablePostgres db;
  final NodeProcess node;

  private SingleNode(CrashablePostgres db, NodeProcess node) {
    this.db = db;
    this.node = node;
  }

  /** Ports are {@link NodeProcess#port} offsets, so parallel fault tests never share one. */
  static SingleNode start(String name, int httpPort, int httpsPort, int dbPort) throws Exception {
    CrashablePostgres db = CrashablePostgres.fresh(NodeProcess.port(dbPort), name + "-db");
    try {
      NodeProcess node =
          new NodeProcess(
                  name + "-node",
                  NodeProcess.port(httpPort),
                  NodeProcess.port(httpsPort),
                  db.port(),
                  "-Dsealsync.rowsync.retained-bundles-per-user=1000000",
                  "-Dsealsync.agent-state.rate-limit.per-second=0")
              .start();
      return new SingleNode(db, node);
    } catch (Exception | Error e) {
      db.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      node.close();
    } finally {
      db.close();
    }
  }
}
