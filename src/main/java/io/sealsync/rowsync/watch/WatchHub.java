package io.sealsync.rowsync.watch;

import io.sealsync.rowsync.codec.CanonicalJson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The watch subscribers of this node, by user (rowsync.md §15.2). Each subscriber has a one-slot
 * buffer: a newer event replaces an unsent older one, and nothing at or below the last delivered
 * bundle is sent again. Sends are asynchronous, so no thread waits on a slow client.
 */
@ApplicationScoped
public class WatchHub {
  private final Map<Long, List<Subscriber>> byUser = new ConcurrentHashMap<>();

  /** One SSE stream. */
  public static final class Subscriber {
    final long userPk;
    final SseEventSink sink;
    final Sse sse;
    private long delivered;
    private long inFlight;
    private Event pending;

    Subscriber(long userPk, SseEventSink sink, Sse sse, long after) {
      this.userPk = userPk;
      this.sink = sink;
      this.sse = sse;
      this.delivered = after;
    }

    public synchronized void offer(Event e) {
      long newest = Math.max(delivered, inFlight);
      if (e.bundleSeq() <= newest) {
        return;
      }
      if (inFlight != 0) {
        if (pending == null || e.bundleSeq() > pending.bundleSeq()) {
          pending = e;
        }
        return;
      }
      send(e);
    }

    private void send(Event e) {
      if (sink.isClosed()) {
        return;
      }
      inFlight = e.bundleSeq();
      OutboundSseEvent event =
          sse.newEventBuilder().name("bundle").data(String.class, e.json()).build();
      sink.send(event)
          .whenComplete(
              (ok, failure) -> {
                synchronized (this) {
                  delivered = Math.max(delivered, inFlight);
                  inFlight = 0;
                  Event next = pending;
                  pending = null;
                  if (failure == null && next != null && next.bundleSeq() > delivered) {
                    send(next);
                  }
                }
              });
    }

    public void heartbeat() {
      if (!sink.isClosed()) {
        sink.send(sse.newEventBuilder().comment("heartbeat").build());
      }
    }
  }

  /** A bundle event; source fields are absent on the subscribe-time and catch-up events. */
  public record Event(long userPk, long bundleSeq, String sourceId, Long sourceBundleId) {
    String json() {
      StringBuilder sb = new StringBuilder("{\"bundle_seq\":").append(bundleSeq);
      if (sourceId != null && !sourceId.isEmpty()) {
        sb.append(",\"source_id\":");
        CanonicalJson.quote(sb, sourceId);
      }
      if (sourceBundleId != null && sourceBundleId != 0) {
        sb.append(",\"source_bundle_id\":").append(sourceBundleId);
      }
      return sb.append('}').toString();
    }
  }

  public Subscriber subscribe(long userPk, SseEventSink sink, Sse sse, long after) {
    Subscriber s = new Subscriber(userPk, sink, sse, after);
    byUser.computeIfAbsent(userPk, k -> new CopyOnWriteArrayList<>()).add(s);
    return s;
  }

  void publish(Event e) {
    List<Subscriber> subscribers = byUser.get(e.userPk());
    if (subscribers == null) {
      return;
    }
    for (Subscriber s : subscribers) {
      if (s.sink.isClosed()) {
        subscribers.remove(s);
      } else {
        s.offer(e);
      }
    }
  }

  /** Users with open streams, for the listener's catch-up after a reconnect. */
  Set<Long> watchedUsers() {
    return byUser.keySet();
  }

  void heartbeat() {
    for (List<Subscriber> subscribers : byUser.values()) {
      for (Subscriber s : subscribers) {
        if (s.sink.isClosed()) {
          subscribers.remove(s);
        } else {
          s.heartbeat();
        }
      }
    }
  }

  public int subscriberCount() {
    return byUser.values().stream().mapToInt(List::size).sum();
  }

  @PreDestroy
  public void closeAll() {
    byUser.values().forEach(list -> list.forEach(s -> s.sink.close()));
    byUser.clear();
  }
}
