package io.conpaas.plugin;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The plugin's writes to existing services: narrow JSON merge patches and /scale updates, all
 * under the field manager {@value #FIELD_MANAGER}; relative changes retry on conflicts.
 */
public final class ServicePatcher {
  public static final String FIELD_MANAGER = "kubectl-conpaas";
  private static final int ATTEMPTS = 10;

  private final ServiceLocator locator;

  public ServicePatcher(ServiceLocator locator) {
    this.locator = locator;
  }

  /** Applies a JSON merge patch (from {@link Patches}) to the service. */
  public GenericKubernetesResource mergePatch(ServiceObject s, String patch) {
    return resource(s).patch(context(), patch);
  }

  /**
   * Adds {@code delta} nodes (negative: removes) to {@code role}: through the /scale subresource
   * for the scale role, else a merge patch of spec.ROLE.nodes only. Read and write are tied by a
   * resourceVersion precondition, so concurrent changes are never lost.
   */
  public NodeCounts.Change changeNodes(ServiceObject s, String role, int delta) {
    return retryingConflicts(() -> role.equals(s.kind().scaleRole())
        ? scale(s, role, delta) : patchNodes(s, role, delta));
  }

  /** Merge-patches spec.code.activeVersion only: the operator then rolls every agent to {@code version}. */
  public GenericKubernetesResource activate(ServiceObject s, String version) {
    return mergePatch(s, Patches.activeVersion(version));
  }

  /**
   * Sets spec.debug to {@code value}, or to the opposite of its current value when null (read and
   * write tied by a resourceVersion precondition); returns the value written.
   */
  public boolean setDebug(ServiceObject s, Boolean value) {
    if (value != null) {
      mergePatch(s, Patches.debug(value, null));
      return value;
    }
    return retryingConflicts(() -> {
      Resource<GenericKubernetesResource> r = resource(s);
      GenericKubernetesResource current = r.get();
      if (current == null) {
        throw gone(s);
      }
      boolean flipped = !new ServiceObject(s.kind(), current).debug();
      r.patch(context(), Patches.debug(flipped, current.getMetadata().getResourceVersion()));
      return flipped;
    });
  }

  /** Runs a read-then-write {@code change} again when the server answers 409 (the object moved on). */
  static <T> T retryingConflicts(Supplier<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return change.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /** A short random pause, so that writers racing for the same object do not collide again in step. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private NodeCounts.Change scale(ServiceObject s, String role, int delta) {
    Resource<GenericKubernetesResource> r = resource(s);
    Scale scale = r.scale();
    if (scale == null) {
      throw gone(s);
    }
    int before = scale.getSpec() == null || scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
    NodeCounts.Change change = NodeCounts.apply(s.ref(), role, before, delta);
    r.subresource("scale").patch(context(),
        Patches.replicas(change.after(), scale.getMetadata().getResourceVersion()));
    return change;
  }

  private NodeCounts.Change patchNodes(ServiceObject s, String role, int delta) {
    Resource<GenericKubernetesResource> r = resource(s);
    GenericKubernetesResource current = r.get();
    if (current == null) {
      throw gone(s);
    }
    ServiceObject now = new ServiceObject(s.kind(), current);
    NodeCounts.Change change = NodeCounts.apply(s.ref(), role, now.nodes(role), delta);
    r.patch(context(), Patches.roleField(role, "nodes", change.after(),
        current.getMetadata().getResourceVersion()));
    return change;
  }

  private Resource<GenericKubernetesResource> resource(ServiceObject s) {
    return locator.resource(s.kind(), s.namespace(), s.name());
  }

  private static CliException gone(ServiceObject s) {
    return new CliException(s.ref() + " no longer exists in namespace '" + s.namespace() + "'");
  }

  private static PatchContext context() {
    PatchContext ctx = PatchContext.of(PatchType.JSON_MERGE);
    ctx.setFieldManager(FIELD_MANAGER);
    return ctx;
  }
}
