package io.sealsync.liberty;

import com.ibm.wsspi.http.HttpContainer;
import com.ibm.wsspi.http.HttpInboundConnection;
import com.ibm.wsspi.http.HttpOutputStream;
import com.ibm.wsspi.http.HttpResponse;
import com.ibm.wsspi.http.VirtualHost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers the requests OpenLiberty's web container would refuse with its own HTML page ({@link
 * RefusedTargets}) in Sealsync's error envelope, as close to the application's answer on the other
 * servers as is known without running it: under the agent-state prefixes {@code 400
 * {"error":"bad_agent_id"}} on a snapshot route (agent-state.md §2.4) and {@code 404
 * {"error":"route_not_found"}} on any other path; elsewhere {@code 400
 * {"error":"invalid_request","message":…}}, the envelope row sync and the operator API share. Every
 * other request goes on to the web container untouched.
 *
 * <p>The HTTP dispatcher asks the containers of a virtual host in the order they registered, and
 * the first to return a handler takes the request. This one registers as each virtual host appears,
 * which is before the web container registers the applications' context roots.
 */
public final class ErrorEnvelopeContainer implements HttpContainer {
  private static final byte[] BAD_AGENT_ID =
      "{\"error\":\"bad_agent_id\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ROUTE_NOT_FOUND =
      "{\"error\":\"route_not_found\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INVALID_REQUEST =
      ("{\"error\":\"invalid_request\",\"message\":\"the request path has a malformed escape or a"
              + " character this server does not accept\"}")
          .getBytes(StandardCharsets.UTF_8);
  private static final Set<String> AGENT_STATE_PREFIXES =
      Set.of("functions", "v1", "v2-agent-state", "v2");

  /** Declarative Services: each virtual host, as it appears. */
  public void addVirtualHost(VirtualHost host) {
    host.addContextRoot("/", this);
  }

  /** Declarative Services: each virtual host, as it goes. */
  public void removeVirtualHost(VirtualHost host) {
    host.removeContextRoot("/", this);
  }

  @Override
  public Runnable createRunnableHandler(HttpInboundConnection connection) {
    String path = connection.getRequest().getURI();
    if (path == null || !RefusedTargets.refused(path)) {
      return null;
    }
    String method = connection.getRequest().getMethod();
    return () -> answer(connection, method, path);
  }

  private static void answer(HttpInboundConnection connection, String method, String path) {
    Exception failure = null;
    try {
      List<String> segments = new ArrayList<>();
      for (String s : path.split("/")) {
        if (!s.isEmpty()) {
          segments.add(s);
        }
      }
      int status = 400;
      byte[] body = INVALID_REQUEST;
      if (!segments.isEmpty() && AGENT_STATE_PREFIXES.contains(segments.get(0))) {
        // The routes of agent-state.md §2.2, after its leading prefixes and empty segments.
        List<String> tail = segments;
        while (!tail.isEmpty() && AGENT_STATE_PREFIXES.contains(tail.get(0))) {
          tail = tail.subList(1, tail.size());
        }
        boolean snapshotRoute =
            method.equalsIgnoreCase("GET") && tail.size() == 3 && tail.get(0).equals("snapshot");
        status = snapshotRoute ? 400 : 404;
        body = snapshotRoute ? BAD_AGENT_ID : ROUTE_NOT_FOUND;
      }
      HttpResponse response = connection.getResponse();
      response.setStatus(status);
      response.setHeader("Content-Type", "application/json");
      response.setHeader("X-Content-Type-Options", "nosniff");
      boolean head = method.equalsIgnoreCase("HEAD");
      response.setContentLength(head ? 0 : body.length);
      HttpOutputStream out = response.getBody();
      if (!head) {
        out.write(body);
      }
      out.close();
    } catch (Exception e) {
      failure = e;
    }
    connection.finish(failure);
  }
}
