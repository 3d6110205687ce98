package io.conpaas.reconcilers.taskfarm;

import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.api.v1alpha1.TaskFarmServiceSpec;
import io.conpaas.reconcilers.model.AgentNames;
import io.conpaas.reconcilers.service.KindPlan;
import io.conpaas.reconcilers.service.Observation;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.service.ServiceKind;
import io.conpaas.reconcilers.taskfarm.LedgerStep.Worker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * TaskFarmService (manual 2.8). observe loads the bag's ledger (a ConfigMap), lets {@link LedgerStep}
 * record results, reclaim tasks of lost VMs, move the phase on and hand out tasks, and stores the
 * new ledger; only then does the pure plan put each worker's assignments into its configuration
 * (assignment recorded before dispatch). The worker mix is per slot ({@link #slots}): one worker
 * per instance type while sampling, the chosen schedule's mix while executing, none otherwise and
 * never in demo mode.
 */
public final class TaskFarmKind implements ServiceKind<TaskFarmService> {
  public static final String ROLE = TaskFarmServiceSpec.ROLE_WORKERS;

  private final Supplier<LedgerStore> store;
  private final Clock clock;

  /** store: supplied once the reconciler has its client (JOSDK hands it over when event sources are prepared). */
  public TaskFarmKind(Supplier<LedgerStore> store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String scaleRole() {
    return ROLE;
  }

  @Override
  public Observation observe(ServiceContext<TaskFarmService> context) {
    TaskFarmService service = context.service();
    TaskFarmServiceSpec spec = service.getSpec();
    Optional<FileSystemMount> mount = Optional.empty();
    if (spec.getFileSystem() != null) {
      FileSystemMount.Lookup found = FileSystemMount.lookup(store.get().fileSystem(context.namespace(),
          spec.getFileSystem().getService()), spec.getFileSystem());
      if (found.problem().isPresent()) {
        return Observation.NONE.withProblem(found.problem().get());
      }
      mount = found.mount();
    }
    PricedTypes.Result types = PricedTypes.of(context);
    if (types.problem().isPresent()) {
      return Observation.NONE.withProblem(types.problem().get());
    }
    LedgerStore ledgers = store.get();
    Optional<LedgerStore.Stored> stored = ledgers.load(service);
    TaskLedger ledger;
    String version = null;
    if (stored.isPresent()) {
      ledger = stored.get().ledger();
      version = stored.get().resourceVersion();
    } else {
      if (spec.getBag() == null || spec.getBag().getConfigMapRef() == null) {
        return Observation.NONE.withProblem("no bag yet: set spec.bag.configMapRef or run kubectl conpaas taskfarm "
            + "upload-bag");
      }
      String cm = spec.getBag().getConfigMapRef().getName();
      String key = spec.getBag().getConfigMapRef().keyOrDefault();
      Optional<String> text = ledgers.bag(context.namespace(), cm, key);
      if (text.isEmpty()) {
        return Observation.NONE.withProblem("bag: ConfigMap " + cm + " with key " + key + " not found");
      }
      try {
        ledger = TaskLedger.forBag(BagParser.parse(text.get()));
      } catch (IllegalArgumentException e) {
        return Observation.NONE.withProblem("bag: " + e.getMessage());
      }
    }
    TaskLedger next = LedgerStep.advance(ledger, inputs(context, types));
    if (version == null || !next.toJson().equals(ledger.toJson())) {
      // Recorded before the plan puts any new assignment into a worker's configuration.
      ledgers.save(service, next, version);
    }
    Observation seen = Observation.NONE.withKindState(new Observed(next, mount));
    return next.problem == null ? seen : seen.withProblem(next.problem);
  }

  private LedgerStep.Inputs inputs(ServiceContext<TaskFarmService> context, PricedTypes.Result types) {
    TaskFarmServiceSpec spec = context.service().getSpec();
    List<Worker> workers = WorkerBook.workers(context, ROLE);
    return new LedgerStep.Inputs(spec.demoMode(), spec.attemptsAllowed(), spec.samplesPerType(),
        spec.workersPerTypeCap(), spec.billingUnit(), types.types(), spec.getSchedule(), workers,
        clock.millis());
  }

  @Override
  public Map<String, List<String>> slots(ServiceContext<TaskFarmService> context) {
    return Map.of(ROLE, slotTypes(context));
  }

  /** The instance type of each worker slot for the ledger's phase (none in demo mode). */
  static List<String> slotTypes(ServiceContext<TaskFarmService> context) {
    Optional<TaskLedger> ledger = context.observed().kindState(Observed.class).map(Observed::ledger);
    if (ledger.isEmpty() || context.service().getSpec().demoMode()) {
      return List.of();
    }
    TaskLedger l = ledger.get();
    List<String> slots = new ArrayList<>();
    if (TaskLedger.SAMPLING.equals(l.phase) || TaskLedger.READY.equals(l.phase)) {
      // The sampling workers wait while the user chooses (their first billing unit is paid anyway).
      slots.addAll(SlotLayout.sampling(l));
    } else if (TaskLedger.EXECUTING.equals(l.phase)) {
      l.schedules.stream().filter(s -> s.name.equals(l.chosen)).findFirst()
          .ifPresent(s -> slots.addAll(SlotLayout.of(SlotLayout.sampling(l), s.workers)));
    }
    return slots;
  }

  @Override
  public KindPlan plan(ServiceContext<TaskFarmService> context) {
    TaskFarmService service = context.service();
    TaskLedger ledger = context.observed().kindState(Observed.class).map(Observed::ledger).orElse(null);
    Map<String, String> mount = context.observed().kindState(Observed.class).flatMap(Observed::mount)
        .map(FileSystemMount::config).orElse(Map.of());
    PricedTypes.Result types = PricedTypes.of(context);
    List<String> slots = slotTypes(context);
    String name = service.getMetadata().getName();
    int timeout = service.getSpec().timeoutSeconds();
    return KindPlan.of(Map.of(ROLE, mount))
        .withAgentConfig((role, index) -> ledger == null || index >= slots.size() ? Map.of()
            : workerConfig(ledger, AgentNames.name(name, role, index), types.slowdown(slots.get(index)), timeout))
        .withStatus(status -> TaskFarmStatus.of(status, ledger, LedgerStore.name(service), types.prices(),
            service.getSpec().billingUnit(), service.getSpec().demoMode()));
  }

  /** What observe found: the ledger as stored, and the file system volume the workers mount (spec.fileSystem). */
  record Observed(TaskLedger ledger, Optional<FileSystemMount> mount) {}

  /** A worker's configuration: the tasks the ledger assigned to it (by line) and its type's slowdown. */
  static Map<String, String> workerConfig(TaskLedger l, String agent, double slowdown, int timeoutSeconds) {
    return WorkerBook.workerConfig(l.tasks, agent, slowdown, timeoutSeconds);
  }

  /** Whether the service has work in flight (its reconciler then passes again soon, demo mode included). */
  public static boolean busy(TaskFarmService service) {
    String phase = service.getStatus() == null ? null : service.getStatus().getPhase();
    return TaskLedger.SAMPLING.equals(phase) || TaskLedger.EXECUTING.equals(phase)
        || (phase == null && service.getSpec().getBag() != null);
  }
}
