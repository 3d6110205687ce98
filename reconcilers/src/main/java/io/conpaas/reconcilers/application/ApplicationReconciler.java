package io.conpaas.reconcilers.application;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationStatus;
import io.conpaas.api.v1alpha1.ServiceRef;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.reconcilers.model.ApplicationStatusBuilder;
import io.conpaas.reconcilers.vpn.ApplicationVpn;
import io.conpaas.reconcilers.vpn.VpnAddressPlan;
import io.conpaas.reconcilers.vpn.RelayAgents;
import io.conpaas.reconcilers.vpn.VpnSettings;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Summarises an Application's services (of every kind) into its status. */
@ControllerConfiguration(name = "application")
public final class ApplicationReconciler implements Reconciler<Application> {
  private static final Duration UNSETTLED_RESYNC = Duration.ofSeconds(10);

  private final List<Class<? extends ServiceResource<?>>> serviceKinds;
  private final Clock clock;
  private final VpnAddressPlan vpnPlan;

  public ApplicationReconciler(List<Class<? extends ServiceResource<?>>> serviceKinds, Clock clock) {
    this(serviceKinds, clock, VpnSettings.defaults().plan());
  }

  public ApplicationReconciler(List<Class<? extends ServiceResource<?>>> serviceKinds, Clock clock,
      VpnAddressPlan vpnPlan) {
    this.serviceKinds = List.copyOf(serviceKinds);
    this.clock = clock;
    this.vpnPlan = vpnPlan;
  }

  @Override
  public List<EventSource<?, Application>> prepareEventSources(EventSourceContext<Application> context) {
    List<EventSource<?, Application>> sources = new ArrayList<>();
    for (Class<? extends ServiceResource<?>> kind : serviceKinds) {
      sources.add(eventSource(kind, context));
    }
    sources.add(RelayAgents.eventSource(context));
    return sources;
  }

  private static <S extends ServiceResource<?>> EventSource<?, Application> eventSource(Class<S> kind,
      EventSourceContext<Application> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, Application.class)
        .withName(kind.getSimpleName())
        .withSecondaryToPrimaryMapper(s -> s.getSpec() == null ? Set.of()
            : Set.of(new ResourceID(s.getSpec().getApplication(), s.getMetadata().getNamespace())))
        .build(), context);
  }

  @Override
  public UpdateControl<Application> reconcile(Application app, Context<Application> context) {
    List<ServiceRef> refs = new ArrayList<>();
    List<ApplicationVpn.Member> members = new ArrayList<>();
    // The services come from the same informers whose events trigger this pass, so the pass
    // never sees an older state than the event it reacts to.
    for (Class<? extends ServiceResource<?>> kind : serviceKinds) {
      for (ServiceResource<?> s : context.getSecondaryResources(kind)) {
        ServiceRef ref = new ServiceRef(s.getKind(), s.getMetadata().getName(),
            s.getStatus() == null ? null : s.getStatus().getState());
        refs.add(ref);
        members.add(new ApplicationVpn.Member(ref, s.getMetadata().getCreationTimestamp()));
      }
    }
    var vpn = ApplicationVpn.assign(app, members, vpnPlan);
    ApplicationStatus status = ApplicationStatusBuilder.build(app, refs, clock.instant());
    var relay = RelayAgents.apply(app, context);
    if (vpn != null) {
      vpn.setRelay(relay);
    }
    status.setVpn(vpn);
    app.setStatus(status);
    UpdateControl<Application> control = io.conpaas.reconcilers.SoleWriterStatus.write(app, context,
        UpdateControl.patchStatus(app));
    // A safety net while anything is unsettled: level-based, not only event-driven.
    boolean settled = status.getState() == ServiceState.RUNNING && (relay == null || Boolean.TRUE.equals(relay.getReady()));
    return settled ? control : control.rescheduleAfter(UNSETTLED_RESYNC);
  }
}
