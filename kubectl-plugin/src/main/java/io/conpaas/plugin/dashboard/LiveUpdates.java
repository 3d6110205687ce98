package io.conpaas.plugin.dashboard;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.plugin.ServiceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server-sent events for one page: while the page is open, watches (with the caller's client) every
 * service kind, the Agents, Events and the CreditAccount of its namespace, and tells the page what
 * changed, so that it re-reads only then. Changes arriving together go out as one message.
 */
final class LiveUpdates {
  static final int MAX_STREAMS = 8;
  private static final Map<String, Object> CLOSED = Map.of();
  private static final int QUEUE = 1000;
  private static final long KEEPALIVE_SECONDS = 15;

  private final KubernetesClient client;
  private final List<ServiceKind> kinds;
  private final AtomicInteger open;

  LiveUpdates(KubernetesClient client, List<ServiceKind> kinds) {
    this(client, kinds, new AtomicInteger());
  }

  /** The same, counting open streams in {@code open} (shared by every identity of one server). */
  LiveUpdates(KubernetesClient client, List<ServiceKind> kinds, AtomicInteger open) {
    this.client = client;
    this.kinds = kinds;
    this.open = open;
  }

  /** Whether another stream may start (each holds a thread and a few watches); reserves it when so. */
  boolean reserve() {
    if (open.incrementAndGet() > MAX_STREAMS) {
      open.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Streams changes in {@code ns} to {@code out} until the page goes away or a watch ends; releases the reservation. */
  void stream(String ns, OutputStream out) throws IOException {
    BlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>(QUEUE);
    List<Watch> watches = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    try {
      for (ServiceKind k : kinds) {
        watch(k.context(), k.kind(), ns, queue, watches, refused);
      }
      watch(ResourceDefinitionContext.fromResourceType(Agent.class), "Agent", ns, queue, watches, refused);
      watch(ResourceDefinitionContext.fromResourceType(CreditAccount.class), "CreditAccount", ns, queue, watches,
          refused);
      watchEvents(ns, queue, watches);
      send(out, "retry: 2000\n" + "data: " + Serialization.asJson(Map.of("hello", true, "notWatched", refused))
          + "\n\n");
      while (true) {
        Map<String, Object> first = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        if (first == null) {
          send(out, ": keep-alive\n\n");
          continue;
        }
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(first);
        Thread.sleep(100); // let a burst (a scale touches several objects) arrive and go out as one message
        queue.drainTo(batch);
        boolean closed = batch.stream().anyMatch(m -> m == CLOSED);
        batch.removeIf(m -> m == CLOSED);
        if (!batch.isEmpty()) {
          send(out, "data: " + Serialization.asJson(Map.of("changes", batch)) + "\n\n");
        }
        if (closed) {
          return; // a watch ended: the browser reconnects (retry) and re-reads everything
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watches.forEach(Watch::close);
      open.decrementAndGet();
    }
  }

  private void watch(ResourceDefinitionContext ctx, String kind, String ns, BlockingQueue<Map<String, Object>> queue,
      List<Watch> watches, List<String> refused) {
    try {
      watches.add(client.genericKubernetesResources(ctx).inNamespace(ns).watch(new Forwarder<>(kind, queue)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 404) {
        refused.add(kind); // not allowed to watch it, or not installed: the page still works, without live updates for it
        return;
      }
      throw e;
    }
  }

  private void watchEvents(String ns, BlockingQueue<Map<String, Object>> queue, List<Watch> watches) {
    try {
      watches.add(client.v1().events().inNamespace(ns).watch(new Forwarder<>("Event", queue)));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
    }
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Puts each change of one resource type on the stream's queue: type, kind and name (the page re-reads the rest). */
  private static final class Forwarder<T extends HasMetadata> implements Watcher<T> {
    private final String kind;
    private final BlockingQueue<Map<String, Object>> queue;

    Forwarder(String kind, BlockingQueue<Map<String, Object>> queue) {
      this.kind = kind;
      this.queue = queue;
    }

    @Override
    public void eventReceived(Action action, T resource) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", action.name());
      m.put("kind", kind);
      m.put("name", resource.getMetadata().getName());
      if (resource instanceof io.fabric8.kubernetes.api.model.Event e && e.getInvolvedObject() != null) {
        m.put("about", e.getInvolvedObject().getName());
      } else if (resource instanceof GenericKubernetesResource g && g.getMetadata().getLabels() != null) {
        m.put("service", g.getMetadata().getLabels().get(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE));
      }
      queue.offer(m); // a full queue drops: the page re-reads whole views anyway
    }

    @Override
    public void onClose(WatcherException cause) {
      queue.offer(CLOSED);
    }
  }
}
