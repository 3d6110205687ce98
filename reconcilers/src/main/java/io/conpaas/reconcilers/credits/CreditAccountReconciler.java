package io.conpaas.reconcilers.credits;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CreditAccount;
import io.conpaas.api.v1alpha1.CreditAccountStatus;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.fabric8.kubernetes.client.utils.Serialization;
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
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts a namespace's credits: on every change of its Agents, when a VM's next hour starts and at
 * least every credits.resync, the account's status is recomputed by {@link CreditLedger} from the
 * Agents' timestamps and written when it changed. A Warning Event marks 10% left and exhaustion
 * (once each: the conditions in status remember them across restarts).
 */
@ControllerConfiguration(name = "creditaccount")
public final class CreditAccountReconciler implements Reconciler<CreditAccount> {
  public static final String EXHAUSTED = "Exhausted";
  public static final String LOW = "CreditsLow";
  /** A VM's next hour is counted this long after it starts (clocks of hosts differ a little). */
  private static final Duration AFTER_HOUR = Duration.ofSeconds(1);

  private final CreditSettings settings;
  private final CreditMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;

  public CreditAccountReconciler(CreditSettings settings, CreditMetrics metrics, EventRecorder events, Clock clock) {
    this.settings = settings;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, CreditAccount>> prepareEventSources(EventSourceContext<CreditAccount> context) {
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Agent.class, CreditAccount.class)
        // It holds every Agent: without managedFields (see LeanCache).
        .withItemStore(io.conpaas.reconcilers.LeanCache.<Agent>storeFor(context))
        .withSecondaryToPrimaryMapper(a -> Set.of(new ResourceID(CreditAccount.NAME, a.getMetadata().getNamespace())))
        .build(), context));
  }

  @Override
  public UpdateControl<CreditAccount> reconcile(CreditAccount account, Context<CreditAccount> context) {
    String ns = account.getMetadata().getNamespace();
    Set<Agent> agents = context.getSecondaryResources(Agent.class);
    List<VmUse> live = agents.stream().map(VmUse::of).flatMap(Optional::stream).toList();
    Instant now = clock.instant();
    long credits = account.getSpec().getCredits() == null ? 0 : account.getSpec().getCredits();
    CreditLedger.Figures figures = CreditLedger.next(account.getStatus(), credits, live, now);
    metrics.record(ns, figures);

    CreditAccountStatus previous = account.getStatus();
    CreditAccountStatus status = status(account, figures, statefulServices(agents), now);
    Duration next = CreditLedger.untilNextHour(figures, live, now).map(d -> d.plus(AFTER_HOUR))
        .filter(d -> d.compareTo(settings.resync()) < 0).orElse(settings.resync());
    if (previous != null && Objects.equals(Serialization.asJson(previous), Serialization.asJson(status))) {
      return UpdateControl.<CreditAccount>noUpdate().rescheduleAfter(next);
    }
    boolean wasLow = previous != null && Conditions.isTrue(previous.getConditions(), LOW);
    boolean wasExhausted = previous != null && Conditions.isTrue(previous.getConditions(), EXHAUSTED);
    if (figures.exhausted() && !wasExhausted) {
      events.warning(account, "CreditsExhausted", status.getMessage());
    } else if (figures.low() && !wasLow) {
      events.warning(account, LOW, status.getMessage());
    }
    account.setStatus(status);
    return io.conpaas.reconcilers.SoleWriterStatus.write(account, context, UpdateControl.patchStatus(account))
        .rescheduleAfter(next);
  }

  static CreditAccountStatus status(CreditAccount account, CreditLedger.Figures f, Set<String> stateful,
      Instant now) {
    CreditAccountStatus previous = account.getStatus();
    var prev = previous == null ? null : previous.getConditions();
    Long gen = account.getMetadata().getGeneration();
    CreditAccountStatus s = new CreditAccountStatus();
    s.setUsed(f.used());
    s.setRemaining(f.remaining());
    s.setExhausted(f.exhausted());
    s.setServices(f.services());
    s.setVms(f.vms());
    s.setObservedGeneration(gen);
    String figures = f.used() + " of " + f.credits() + " credits used, " + f.remaining() + " left";
    String message;
    if (f.exhausted()) {
      message = "exhausted: " + figures + "; every service of the namespace is stopped until more credits are "
          + "granted";
    } else if (f.low()) {
      message = "low: " + figures + "; at the next uncovered VM-hour every service of the namespace is stopped"
          + (stateful.isEmpty() ? "" : "; stopping releases the VMs of " + String.join(", ", stateful)
              + " and the data on them (a MySQL master's databases): back it up or ask for credits now");
    } else {
      message = figures;
    }
    s.setMessage(message);
    s.setConditions(Conditions.list(
        Conditions.of(prev, EXHAUSTED, f.exhausted(), f.exhausted() ? "CreditsExhausted" : "CreditsLeft",
            f.exhausted() ? message : "", gen, now),
        Conditions.of(prev, LOW, f.low() || f.exhausted(), f.exhausted() ? "CreditsExhausted"
            : f.low() ? "TenPercentLeft" : "Enough", f.low() || f.exhausted() ? message : "", gen, now)));
    return s;
  }

  /** Services whose data lives on their VMs (stateful Agents, e.g. a MySQL master), as Kind/name. */
  private static Set<String> statefulServices(Set<Agent> agents) {
    Set<String> names = new TreeSet<>();
    agents.stream().filter(a -> a.getSpec() != null && Boolean.TRUE.equals(a.getSpec().getStateful()))
        .forEach(a -> names.add(a.getSpec().getServiceKind() + " " + a.getMetadata().getLabels()
            .getOrDefault(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE, a.getMetadata().getName())));
    return names;
  }
}
