package io.conpaas.reconcilers.service;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.reconcilers.model.AgentClaims;
import io.conpaas.reconcilers.model.AgentPlan;
import io.conpaas.reconcilers.model.ServiceStatusBuilder;
import io.conpaas.reconcilers.model.StopCause;
import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.reconcilers.credits.StatefulRelease;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.conpaas.reconcilers.vpn.ServiceVpn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler every service kind shares (ConPaaS's manager). A pass reads the service, its
 * Agents, Clouds and Application once into a {@link ServiceContext}, lets the kind observe (its
 * side effects), asks it for a pure {@link KindPlan}, creates, updates or deletes Agents so each
 * role has its desired nodes, and writes one status. Deleting the service releases every Agent first.
 */
public abstract class ServiceReconciler<R extends ServiceResource<?>> implements Reconciler<R>, Cleaner<R> {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);
  private static final Duration PROGRESS_RESYNC = Duration.ofSeconds(2);
  private static final Duration ERROR_RESYNC = Duration.ofSeconds(10);
  private static final Duration DELETE_RESYNC = Duration.ofMillis(500);

  private final ServiceKind<R> kind;
  private final EventRecorder events;
  private final Clock clock;
  private final CreditGate credits;

  protected ServiceReconciler(ServiceKind<R> kind, EventRecorder events, Clock clock, CreditGate credits) {
    this.kind = kind;
    this.events = events;
    this.clock = clock;
    this.credits = credits;
  }

  @Override
  public List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
    Class<R> primary = context.getPrimaryResourceClass();
    // Only this kind's Agents (DesiredAgents labels each with its service's kind): each of the eight
    // kinds' informers held a copy of every Agent (bench-scale, 1,000 Agents: 8 of 12 copies in memory).
    var agents = new InformerEventSource<>(InformerEventSourceConfiguration.from(Agent.class, primary)
        .withLabelSelector(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE_KIND + "=" + HasMetadata.getKind(primary))
        .withItemStore(io.conpaas.reconcilers.LeanCache.<Agent>storeFor(context))
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(primary, false)).build(), context);
    // A Cloud or Application appearing lets a service in ERROR recover at once.
    var cloudEvents = new InformerEventSource<>(InformerEventSourceConfiguration.from(Cloud.class, primary)
        .withSecondaryToPrimaryMapper(cloud -> allPrimaries(context)).build(), context);
    var appEvents = new InformerEventSource<>(InformerEventSourceConfiguration.from(Application.class, primary)
        .withSecondaryToPrimaryMapper(app -> servicesOf(context, app)).build(), context);
    // The namespace's credits stop and restart its services.
    var creditEvents = new InformerEventSource<>(InformerEventSourceConfiguration.from(CreditAccount.class, primary)
        .withSecondaryToPrimaryMapper(account -> context.getPrimaryCache().list(account.getMetadata().getNamespace())
            .map(ResourceID::fromResource).collect(Collectors.toSet())).build(), context);
    List<EventSource<?, R>> sources = new ArrayList<>(List.of(agents, cloudEvents, appEvents, creditEvents));
    sources.addAll(moreEventSources(context));
    return sources;
  }

  /** What else a kind's reconciler is triggered by (e.g. finished code uploads). */
  protected List<EventSource<?, R>> moreEventSources(EventSourceContext<R> context) {
    return List.of();
  }

  @Override
  public UpdateControl<R> reconcile(R service, Context<R> context) {
    // One pass: read once, observe (the kind's side effects), plan (pure), apply, one status patch
    // (none when the status comes out as it was).
    String statusBefore = io.conpaas.reconcilers.UnchangedStatus.snapshot(service.getStatus());
    // Clouds and the Application come from the informers that trigger this reconciler (one watch
    // per kind, and never older than the event that started the pass).
    ServiceContext<R> pass = ServiceContext.of(service, context.getSecondaryResources(Agent.class),
        informer(context, Cloud.class).list().toList(),
        informer(context, Application.class).get(new ResourceID(service.getSpec().getApplication(),
            service.getMetadata().getNamespace())));
    pass = pass.with(kind.observe(pass));
    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass), kind.slots(pass));
    List<String> problems = new ArrayList<>(plan.problems());
    Set<Agent> existing = Set.copyOf(pass.agents());
    // The credit gate: held stopped, the service wants no VM (its spec is left as the user wrote it).
    Optional<CreditAccount> account = informer(context, CreditAccount.class)
        .get(new ResourceID(CreditAccount.NAME, pass.namespace()));
    Optional<StopCause> held = service.getSpec().stopRequested() ? Optional.empty()
        : credits.verdict(pass.namespace(), account, !existing.isEmpty());
    // No credit left but not exhausted: what runs keeps running, nothing new starts.
    Optional<StopCause> growthHeld = held.isPresent() || service.getSpec().stopRequested() ? Optional.empty()
        : credits.growthVerdict(account);
    List<Agent> desired = held.isPresent() ? List.of() : plan.desired();
    // With a problem we leave existing Agents alone: a missing Cloud must not release VMs.
    // Nor do we create Agents while the service waits for its VPN block: they would have no address.
    if (problems.isEmpty() && !plan.vpn().pending()) {
      AgentPlan agents = AgentPlan.of(desired, existing).holding(plan.kind().mayRelease());
      problems.addAll(apply(context.getClient(), service,
          growthHeld.isPresent() ? agents.withoutCreates() : agents, existing));
    }

    ReconcileRequestForwarding.toAgents(context.getClient(), service, existing);
    ServiceState before = service.getStatus() == null ? null : service.getStatus().getState();
    ServiceStatus status = plan.kind().status().apply(ServiceStatusBuilder.build(service, kind.scaleRole(), existing,
        desired, problems, plan.kind().ready(), held.orElse(null), growthHeld.orElse(null), clock.instant()));
    status = plan.vpn().applyTo(status, service.getStatus() == null ? null : service.getStatus().getConditions(),
        ServiceVpn.homeless(plan.vpn(), desired), ServiceVpn.unreachable(existing), service.getMetadata().getGeneration(),
        clock.instant());
    if (status.getState() != before) {
      // One event per state change, not per pass.
      if (status.getState() == ServiceState.ERROR) {
        events.warning(service, "Error", status.getMessage());
      } else if (held.isPresent()) {
        events.warning(service, held.get().reason(), status.getMessage() + StatefulRelease.warning(existing));
      } else {
        events.normal(service, status.getState().name(), status.getMessage());
      }
    }
    setStatus(service, status);
    UpdateControl<R> control = io.conpaas.reconcilers.SoleWriterStatus.write(service, context,
        io.conpaas.reconcilers.UnchangedStatus.skipIfUnchanged(statusBefore, service.getStatus(),
            UpdateControl.patchStatus(service)));
    if (status.getState() == ServiceState.ERROR) {
      return control.rescheduleAfter(ERROR_RESYNC);
    }
    return status.getState() == ServiceState.RUNNING || status.getState() == ServiceState.STOPPED
        ? control : control.rescheduleAfter(PROGRESS_RESYNC);
  }

  /**
   * A pass that threw (an API error, a bug) says so in the status instead of leaving the last
   * one standing: Degraded with reason ReconcileFailed; JOSDK retries with its backoff.
   */
  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(R service, Context<R> context, Exception e) {
    if (PassFailure.isConflict(e)) {
      // Written meanwhile by someone else (e.g. JOSDK adding the finalizer): the retry sees the new version.
      LOG.debug("pass of {}/{} met a write conflict; retrying", service.getMetadata().getNamespace(),
          service.getMetadata().getName());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    LOG.warn("pass of {} {}/{} failed", service.getKind(), service.getMetadata().getNamespace(),
        service.getMetadata().getName(), e);
    setStatus(service, PassFailure.status(service, e, clock.instant()));
    return ErrorStatusUpdateControl.patchStatus(service);
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata, R extends HasMetadata> InformerEventSource<T, R> informer(Context<R> context,
      Class<T> type) {
    return (InformerEventSource<T, R>) context.eventSourceRetriever().getEventSourceFor(type);
  }

  /** The status object is of the kind's status class (the kind's plan made it so). */
  @SuppressWarnings("unchecked")
  private static void setStatus(ServiceResource<?> service, ServiceStatus status) {
    ((io.fabric8.kubernetes.client.CustomResource<?, ServiceStatus>) service).setStatus(status);
  }

  @Override
  public DeleteControl cleanup(R service, Context<R> context) {
    Set<Agent> existing = context.getSecondaryResources(Agent.class);
    if (existing.isEmpty()) {
      kind.released(service);
      return DeleteControl.defaultDelete();
    }
    for (Agent a : existing) {
      if (a.getMetadata().getDeletionTimestamp() == null) {
        delete(context.getClient(), a);
      }
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETE_RESYNC);
  }

  /**
   * Creates, updates and deletes Agents; returns why it did nothing when some names the plan
   * creates belong to another service (see AgentClaims): then not one Agent is created.
   */
  private static List<String> apply(KubernetesClient client, ServiceResource<?> service, AgentPlan plan,
      Set<Agent> existing) {
    List<String> conflicts = new ArrayList<>();
    // One read per Agent still to create (rare: until the cache sees it): a name taken by
    // another kind's service of the same name must stop the whole plan, not half of it.
    // Reads and creates go side by side, so all Agents of a pass appear (and launch) together.
    ParallelCalls.map(plan.toCreate(), a -> client.resources(Agent.class).inNamespace(a.getMetadata().getNamespace())
        .withName(a.getMetadata().getName()).get())
        .forEach(taken -> AgentClaims.conflict(service, taken).ifPresent(conflicts::add));
    if (!conflicts.isEmpty()) {
      return conflicts;
    }
    ParallelCalls.map(plan.toCreate(), a -> {
      try {
        client.resource(a).create();
        LOG.info("created Agent {}/{}", a.getMetadata().getNamespace(), a.getMetadata().getName());
      } catch (KubernetesClientException e) {
        // 409: made by an earlier pass whose event has not reached the cache yet.
        if (e.getCode() != 409) {
          throw e;
        }
      }
      return a;
    });
    for (Agent a : plan.toUpdate()) {
      // A JSON patch of the two fields, without a resourceVersion: the Agent reconciler writes its
      // status meanwhile, and an optimistic lock would fail this pass for nothing.
      List<Map<String, Object>> ops = new ArrayList<>(List.of(
          Map.of("op", "add", "path", "/spec/config", "value", a.getSpec().getConfig()),
          Map.of("op", "add", "path", "/spec/codeVersions", "value", a.getSpec().getCodeVersions())));
      Agent live = existing.stream().filter(e -> e.getMetadata().getName().equals(a.getMetadata().getName()))
          .findFirst().orElse(null);
      if (a.getSpec().getVpn() != null && live != null && live.getSpec() != null && live.getSpec().getVpn() == null) {
        // An Agent's VPN place is given once (an application that turned its VPN on); never changed after.
        ops.add(Map.of("op", "add", "path", "/spec/vpn", "value", a.getSpec().getVpn()));
      }
      boolean hadSecret = existing.stream().anyMatch(e -> e.getMetadata().getName().equals(a.getMetadata().getName())
          && e.getSpec() != null && e.getSpec().getCredentialsSecret() != null);
      if (a.getSpec().getCredentialsSecret() != null) {
        ops.add(Map.of("op", "add", "path", "/spec/credentialsSecret", "value", a.getSpec().getCredentialsSecret()));
      } else if (hadSecret) {
        // JSON patch cannot remove what is not there: only when the live Agent has one.
        ops.add(Map.of("op", "remove", "path", "/spec/credentialsSecret"));
      }
      String patch = Serialization.asJson(ops);
      client.resources(Agent.class).inNamespace(a.getMetadata().getNamespace())
          .withName(a.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), patch);
    }
    for (Agent a : plan.toDelete()) {
      delete(client, a);
    }
    return conflicts;
  }

  private static void delete(KubernetesClient client, Agent a) {
    client.resources(Agent.class).inNamespace(a.getMetadata().getNamespace())
        .withName(a.getMetadata().getName()).delete();
    LOG.info("deleting Agent {}/{}", a.getMetadata().getNamespace(), a.getMetadata().getName());
  }

  private static <R extends HasMetadata> Set<ResourceID> allPrimaries(EventSourceContext<R> context) {
    return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private static <R extends ServiceResource<?>> Set<ResourceID> servicesOf(EventSourceContext<R> context,
      Application app) {
    String ns = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    return context.getPrimaryCache().list(ns)
        .filter(s -> s.getSpec() != null && name.equals(s.getSpec().getApplication()))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
