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
 */
public final class SoleWriterStatus {
  private SoleWriterStatus() {}

  /**
   * Performs control's status patch (if it asks for one) as described above and returns control
   * without it (same reschedule). A control that also patches the resource itself is left to JOSDK.
   */
  public static <P extends HasMetadata> UpdateControl<P> write(P resource, Context<P> context,
      UpdateControl<P> control) {
    if (!control.isPatchStatus() || control.isPatchResource()) {
      return control;
    }
    P applied = context.getClient().resource(statusOnly(resource)).subresource("status")
        .patch(new PatchContext.Builder()
            // The same field manager as JOSDK's own status patches: what it wrote before is ours to drop.
            .withFieldManager(context.getControllerConfiguration().fieldManager())
            .withForce(true)
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .build());
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), applied, resource);
    UpdateControl<P> none = UpdateControl.noUpdate();
    return control.getScheduleDelay().map(none::rescheduleAfter).orElse(none);
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
