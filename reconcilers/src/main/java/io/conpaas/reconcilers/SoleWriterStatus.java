package io.conpaas.reconcilers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.InvocationTargetException;

/**
 * Writes the status of a resource whose status only its own reconciler writes (Agent, the service
 * kinds, Application, Cloud, CreditAccount): a server-side apply of the status subresource that
 * carries no resourceVersion, and the answer goes into the controller's cache.
 *
 * <p>Why not JOSDK's {@code UpdateControl.patchStatus}: it applies the whole object, resourceVersion
 * included, so the apply fails with 409 whenever the object changed since the pass read it — the
 * service patched an Agent's config, JOSDK added its finalizer, or (most often) the pass read a copy
 * older than its own previous status write, because JOSDK 5.2 does not cache the answer of a status
 * patch and a pass rescheduled 1 ms later reads the informer before the write's event has arrived.
 * Each 409 costs a JOSDK retry of ≥ 2 s (hack/bench-clouds.sh: 100 batched Agents spread over 12
 * launch batches). Here the answer is cached ({@code handleRecentResourceUpdate}, with resource
 * versions compared numerically), so the next pass starts from it, and the write cannot conflict.
 *
 * <p>Why that is safe without the optimistic lock: the lock only protects against a pass computing
 * status from a stale copy. The pass's copy cannot be older than this operator's own last write
 * (cached), nobody else writes these statuses, and JOSDK never runs two passes of one resource at
 * once. Statuses with a second writer keep their lock: CodeUpload (the upload listener and its
 * reconciler both write it: {@code updateStatus} with resourceVersion) and the TaskFarm ledger
 * ConfigMap (written with resourceVersion).
 *
 * <p>Where that argument ends: a process that just started has no write of its own, and its informer
 * can serve a copy older than the previous process's last write (a watch resumed from an old
 * revision delivers every intermediate state; Sieve's "stale state"). A pass that decides a cloud
 * call (an Agent's new idempotency token, its launch batch) from such a copy would overwrite the
 * recorded VM and start a second one. Those writes are therefore {@linkplain #writeGuarded guarded}:
 * they carry the copy's resourceVersion, and a conflict means "look again" instead of a write.
 */
public final class SoleWriterStatus {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SoleWriterStatus.class);
  /** When a guarded write found its copy stale: the informer has usually caught up by then. */
  static final java.time.Duration STALE_RETRY = java.time.Duration.ofMillis(500);

  private SoleWriterStatus() {}

  /**
   * Performs control's status patch (if it asks for one) as described above and returns control
   * without it (same reschedule). A control that also patches the resource itself is left to JOSDK.
   */
  public static <P extends HasMetadata> UpdateControl<P> write(P resource, Context<P> context,
      UpdateControl<P> control) {
    return write(resource, context, control, false);
  }

  /**
   * The same, but only if the server's copy is still the one the pass read (its resourceVersion): for
   * writes that decide a cloud call. A stale copy writes nothing and the resource is looked at again
   * after {@link #STALE_RETRY}.
   */
  public static <P extends HasMetadata> UpdateControl<P> writeGuarded(P resource, Context<P> context,
      UpdateControl<P> control) {
    return write(resource, context, control, true);
  }

  private static <P extends HasMetadata> UpdateControl<P> write(P resource, Context<P> context,
      UpdateControl<P> control, boolean guarded) {
    if (!control.isPatchStatus() || control.isPatchResource()) {
      return control;
    }
    // The same field manager as JOSDK's own status patches: what it wrote before is ours to drop.
    java.util.Optional<P> applied = apply(context.getClient(), resource,
        context.getControllerConfiguration().fieldManager(), guarded);
    if (applied.isEmpty()) {
      LOG.info("{} {}/{}: read a stale copy (resourceVersion {}); looking again before any cloud call",
          resource.getKind(), resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
          resource.getMetadata().getResourceVersion());
      return UpdateControl.<P>noUpdate().rescheduleAfter(STALE_RETRY);
    }
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), applied.get(), resource);
    UpdateControl<P> none = UpdateControl.noUpdate();
    return control.getScheduleDelay().map(none::rescheduleAfter).orElse(none);
  }

  /**
   * The status apply itself; guarded: conditional on the resource's resourceVersion, empty when the
   * server's copy has moved on (409).
   */
  public static <P extends HasMetadata> java.util.Optional<P> apply(io.fabric8.kubernetes.client.KubernetesClient client,
      P resource, String fieldManager, boolean guarded) {
    P body = statusOnly(resource);
    if (guarded) {
      body.getMetadata().setResourceVersion(resource.getMetadata().getResourceVersion());
    }
    try {
      return java.util.Optional.of(client.resource(body).subresource("status")
          .patch(new PatchContext.Builder()
              .withFieldManager(fieldManager)
              .withForce(true)
              .withPatchType(PatchType.SERVER_SIDE_APPLY)
              .build()));
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (guarded && e.getCode() == 409) {
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  /** name, namespace and status only: no resourceVersion, no spec, no managed fields. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <P extends HasMetadata> P statusOnly(P resource) {
    try {
      P copy = (P) resource.getClass().getConstructor().newInstance();
      ObjectMeta meta = new ObjectMeta();
      meta.setName(resource.getMetadata().getName());
      meta.setNamespace(resource.getMetadata().getNamespace());
      copy.setMetadata(meta);
      ((CustomResource) copy).setStatus(((CustomResource) resource).getStatus());
      return copy;
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException
        | NoSuchMethodException e) {
      throw new IllegalStateException(resource.getClass().getName() + " has no public no-argument constructor", e);
    }
  }
}
