package io.sealsync.platform.observability;

import static io.sealsync.rowsync.SyncClient.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.SyncClient;
import io.sealsync.testsupport.Deployments;
import io.sealsync.testsupport.Http;
import io.sealsync.testsupport.ServerLogs;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Expected answers are not faults: a mix of the protocols' client errors leaves no incident, no
 * stack trace and no error line in the server's log, and every answer carries its request id.
 */
@ExtendWith(ArquillianExtension.class)
class ClientErrorLogsIT {
  private static final Pattern FAULT =
      Pattern.compile(
          "^\\s+at [\\w$.]+\\(|^Caused by: |\\bSEVERE\\b|\\bERROR\\b| E [A-Z]{4,5}\\d{4}E");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL base;

  @Test
  void clientErrorsLeaveNoIncidentOrStackTrace() throws Exception {
    Http http = new Http(base);
    String user = "logs-" + UUID.randomUUID();
    SyncClient first = new SyncClient(base, user, "src-" + UUID.randomUUID());
    assertEquals(200, first.connect(false).status());
    first.push(1, List.of(tag("shared", "INSERT", 0, "red")));
    Http.LiveTenant payer = http.liveTenant(100, null, null);
    assertEquals(
        200, new ReplicationClient(http, payer.key()).append(List.of(new byte[100])).status());
    String tenantName = "logs-" + UUID.randomUUID();
    assertEquals(
        201, http.admin("POST", "/admin/tenants", "{\"name\":\"" + tenantName + "\"}").status());

    ServerLogs.Mark mark = ServerLogs.mark();
    TreeMap<Integer, Integer> statuses = new TreeMap<>();
    List<String> ids = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      List<Http.Reply> replies = new ArrayList<>();
      // Row sync: a conflicting push, a bad body, an unknown push session, a foreign token.
      SyncClient second = new SyncClient(base, user, "src-" + UUID.randomUUID());
      second.connect(false);
      Http.Reply created = second.create(1, 1, null);
      String pushId = created.json().getString("push_id");
      second.chunk(pushId, 0, List.of(tag("shared", "INSERT", 0, "blue")));
      replies.add(second.commit(pushId));
      replies.add(first.send("POST", "/sync/connect", "{not json"));
      replies.add(first.commit(UUID.randomUUID().toString()));
      replies.add(
          first.send("GET", "/sync/capabilities", null, "Bearer not-a-token", first.source));
      // Agent state: a split brain, insufficient credits, an unknown route, a bad body.
      replies.add(
          new ReplicationClient(http, payer.key())
              .append(List.of(ReplicationClient.blob(100, round))));
      replies.add(
          new ReplicationClient(http, http.liveTenant(0, null, null).key())
              .append(List.of(new byte[262_144])));
      replies.add(http.get(ReplicationClient.ENDPOINT + "/nowhere", payer.key()));
      replies.add(http.post(ReplicationClient.ENDPOINT + "/replicate", payer.key(), "[1,2"));
      // Operator API: a taken name, an unknown tenant, no credentials, a bad body.
      replies.add(http.admin("POST", "/admin/tenants", "{\"name\":\"" + tenantName + "\"}"));
      replies.add(http.admin("GET", "/admin/tenants/987654321", null));
      replies.add(http.send("GET", "/admin/tenants", null, null));
      replies.add(http.admin("POST", "/admin/tenants", "{"));
      for (Http.Reply r : replies) {
        assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.text());
        statuses.merge(r.status(), 1, Integer::sum);
      }
    }
    // Each answer names its request, for an operator to find it in a trace.
    for (int i = 0; i < 3; i++) {
      String id =
          http.sendWithHeaders("GET", "/sync/capabilities", null)
              .headers()
              .firstValue(RequestObservation.REQUEST_ID_HEADER)
              .orElse(null);
      assertNotNull(id, "no " + RequestObservation.REQUEST_ID_HEADER);
      assertTrue(id.matches("[0-9a-f]{32}"), id);
      ids.add(id);
    }
    assertEquals(3, ids.stream().distinct().count(), "request ids repeat: " + ids);
    System.out.println("[client-error-logs] statuses sent: " + statuses);

    Thread.sleep(1500); // the server's log writer flushes asynchronously
    List<String> faults =
        ServerLogs.linesSince(mark).stream().filter(l -> FAULT.matcher(l).find()).toList();
    assertEquals(List.of(), faults, "client errors logged as faults in " + ServerLogs.log());
    assertEquals(0, ServerLogs.incidentsSince(mark), "FFDC incidents in " + ServerLogs.incidents());
  }
}
