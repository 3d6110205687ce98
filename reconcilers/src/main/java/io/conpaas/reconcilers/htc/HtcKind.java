package io.conpaas.reconcilers.htc;

import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.HtcJob;
import io.conpaas.api.v1alpha1.HtcService;
import io.conpaas.api.v1alpha1.HtcServiceSpec;
import io.conpaas.api.v1alpha1.HtcWorkerPool;
import io.conpaas.reconcilers.model.AgentNames;
import io.conpaas.reconcilers.service.KindPlan;
import io.conpaas.reconcilers.service.Observation;
import io.conpaas.reconcilers.service.ServiceContext;
import io.conpaas.reconcilers.service.ServiceKind;
import io.conpaas.reconcilers.taskfarm.LedgerStore;
import io.conpaas.reconcilers.taskfarm.PricedTypes;
import io.conpaas.reconcilers.taskfarm.WorkerBook;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * HtcService (manual 2.10). observe loads the service's ledger (a ConfigMap, stored like TaskFarm's),
 * reads bags added to jobs since, lets {@link HtcStep} advance it and stores it; the pure plan then
 * puts each worker's assigned tasks into its configuration (the TaskFarm worker role runs them) and
 * the slots give each worker its instance type: the configuration's pools plus one worker per type
 * while a job is sampled; none in demo mode.
 */
public final class HtcKind implements ServiceKind<HtcService> {
  public static final String ROLE = HtcServiceSpec.ROLE_WORKERS;

  private final Supplier<LedgerStore> store;
  private final Clock clock;

  public HtcKind(Supplier<LedgerStore> store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The ledger ConfigMap's name. */
  public static String ledgerName(HtcService service) {
    return service.getMetadata().getName() + "-htc";
  }

  @Override
  public String scaleRole() {
    return ROLE;
  }

  @Override
  public Observation observe(ServiceContext<HtcService> context) {
    HtcService service = context.service();
    HtcServiceSpec spec = service.getSpec();
    PricedTypes.Result types = PricedTypes.of(context, spec.getWorkers() == null ? null : spec.getWorkers().getCloud(),
        spec.getInstanceTypes());
    if (types.problem().isPresent()) {
      return Observation.NONE.withProblem(types.problem().get());
    }
    LedgerStore ledgers = store.get();
    Optional<LedgerStore.StoredJson> stored = ledgers.loadJson(service, ledgerName(service));
    HtcLedger ledger = stored.map(s -> HtcLedger.fromJson(s.json())).orElseGet(HtcLedger::new);
    String version = stored.map(LedgerStore.StoredJson::resourceVersion).orElse(null);
    List<HtcStep.JobInput> jobs = new ArrayList<>();
    for (HtcJob job : spec.getJobs() == null ? List.<HtcJob>of() : spec.getJobs()) {
      HtcLedger.Job rec = ledger.jobs.get(job.getName());
      int read = rec == null ? 0 : rec.bags;
      List<String> texts = new ArrayList<>();
      String missing = null;
      List<ConfigMapKeyRef> bags = job.getBags() == null ? List.of() : job.getBags();
      for (int i = read; i < bags.size(); i++) {
        ConfigMapKeyRef ref = bags.get(i);
        Optional<String> text = ledgers.bag(context.namespace(), ref.getName(), ref.keyOrDefault());
        if (text.isEmpty()) {
          missing = "bag " + (i + 1) + " of job " + job.getName() + ": ConfigMap " + ref.getName() + " with key "
              + ref.keyOrDefault() + " not found";
          break;
        }
        texts.add(text.get());
      }
      jobs.add(new HtcStep.JobInput(job.getName(), job.submitRequested(), texts, missing));
    }
    Map<String, Integer> pools = new LinkedHashMap<>();
    for (HtcWorkerPool p : spec.getWorkerPools() == null ? List.<HtcWorkerPool>of() : spec.getWorkerPools()) {
      pools.merge(p.getInstanceType(), p.getNodes() == null ? 0 : p.getNodes(), Integer::sum);
    }
    String name = service.getMetadata().getName();
    // Agents are named <service>-workers-<slot>.
    String agentPrefix = AgentNames.name(name, ROLE, 0).replaceAll("0$", "");
    HtcStep.Inputs in = new HtcStep.Inputs(spec.demoMode(), spec.typeOrDefault(), spec.attemptsAllowed(),
        spec.samplesPerType(), spec.workersPerTypeCap(), types.types(), jobs, spec.getSample(), pools,
        spec.getTargetThroughput(), agentPrefix, WorkerBook.workers(context, ROLE), clock.millis());
    HtcLedger next = HtcStep.advance(ledger, in);
    if (version == null || !next.toJson().equals(ledger.toJson())) {
      // Recorded before the plan puts any new assignment into a worker's configuration.
      ledgers.saveJson(service, ledgerName(service), next.toJson(), version);
    }
    Observation seen = Observation.NONE.withKindState(next);
    return next.problem == null ? seen : seen.withProblem(next.problem);
  }

  @Override
  public Map<String, List<String>> slots(ServiceContext<HtcService> context) {
    Optional<HtcLedger> ledger = context.observed().kindState(HtcLedger.class);
    return Map.of(ROLE, ledger.isEmpty() || context.service().getSpec().demoMode() ? List.of()
        : new ArrayList<>(ledger.get().slots));
  }

  @Override
  public KindPlan plan(ServiceContext<HtcService> context) {
    HtcService service = context.service();
    HtcLedger ledger = context.observed().kindState(HtcLedger.class).orElse(null);
    HtcServiceSpec spec = service.getSpec();
    PricedTypes.Result types = PricedTypes.of(context, spec.getWorkers() == null ? null : spec.getWorkers().getCloud(),
        spec.getInstanceTypes());
    List<String> slots = slots(context).get(ROLE);
    String name = service.getMetadata().getName();
    return KindPlan.of(Map.of(ROLE, Map.of()))
        .withAgentConfig((role, index) -> ledger == null || index >= slots.size() || slots.get(index) == null
            ? Map.of() : WorkerBook.workerConfig(ledger.tasks, AgentNames.name(name, role, index),
                types.slowdown(slots.get(index)), spec.timeoutSeconds()))
        .withStatus(status -> HtcStatus.of(status, ledger, ledgerName(service), types, spec));
  }

  /** Whether the service has work in flight (its reconciler then passes again soon, demo mode included). */
  public static boolean busy(HtcService service) {
    var st = service.getStatus();
    List<HtcJob> jobs = service.getSpec().getJobs() == null ? List.of() : service.getSpec().getJobs();
    if (st == null || st.getJobs() == null || st.getJobs().size() != jobs.size()) {
      return !jobs.isEmpty();
    }
    for (var j : st.getJobs()) {
      if (!HtcStatus.DONE.equals(j.getState()) && !HtcStatus.WAITING.equals(j.getState())) {
        return true;
      }
    }
    for (int i = 0; i < jobs.size(); i++) {
      int bags = jobs.get(i).getBags() == null ? 0 : jobs.get(i).getBags().size();
      if (!jobs.get(i).getName().equals(st.getJobs().get(i).getName()) || st.getJobs().get(i).getBags() == null
          || st.getJobs().get(i).getBags() != bags || jobs.get(i).submitRequested()
          && HtcStatus.WAITING.equals(st.getJobs().get(i).getState())) {
        return true;
      }
    }
    var f = st.getThroughputFunction();
    return service.getSpec().getSample() != null && (f == null || !service.getSpec().getSample().equals(f.getJob()));
  }
}
