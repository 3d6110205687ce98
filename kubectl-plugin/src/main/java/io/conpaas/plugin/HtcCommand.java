package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.HtcJob;
import io.conpaas.api.v1alpha1.HtcService;
import io.conpaas.api.v1alpha1.HtcServiceStatus;
import io.conpaas.api.v1alpha1.HtcThroughputPoint;
import io.conpaas.api.v1alpha1.HtcWorkerPool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code htc create-job|add|sample|throughput|configuration|select|submit}: the manual's HTC commands (2.10.1). */
@Command(name = "htc",
    header = "Jobs, sampling, throughput = f(cost) and worker pools of an HtcService (manual 2.10).",
    description = {"create-job SERVICE JOB FILE: a new job whose first bag is FILE (one task per line).",
        "add SERVICE JOB FILE: appends the bag FILE to the job; it runs with the current configuration.",
        "sample SERVICE JOB: samples the job on every instance type (status.throughputFunction).",
        "throughput SERVICE [T]: the function as a table; with T (tasks/hour, within [0, TMAX]) the cost per hour.",
        "configuration SERVICE T: the workers per instance type needed for T tasks/hour.",
        "select SERVICE T: sets spec.targetThroughput and spec.workerPools to that configuration.",
        "submit SERVICE JOB: the job's bags run on the current pools."})
final class HtcCommand extends PluginCommand {
  enum Action { create_job, add, sample, throughput, configuration, select, submit }

  @Parameters(index = "0", paramLabel = "ACTION",
      description = "create-job, add, sample, throughput, configuration, select or submit.",
      converter = ActionConverter.class)
  Action action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "HTC service NAME.")
  String service;

  @Parameters(index = "2..*", arity = "0..2", paramLabel = "ARG",
      description = "create-job/add: JOB FILE; sample/submit: JOB; throughput/configuration/select: T.")
  List<String> arguments = new ArrayList<>();

  static final class ActionConverter implements picocli.CommandLine.ITypeConverter<Action> {
    @Override
    public Action convert(String value) {
      return Action.valueOf(value.replace('-', '_'));
    }
  }

  @Override
  public Integer call() throws IOException {
    var resource = root.client().resources(HtcService.class).inNamespace(root.namespace()).withName(service);
    HtcService htc = resource.get();
    if (htc == null) {
      throw new CliException("no HtcService " + service + " in namespace " + root.namespace());
    }
    switch (action) {
      case create_job -> {
        String job = arg(0, "JOB");
        if (job(htc, job).isPresent()) {
          throw new CliException("job " + job + " exists in " + service + " (kubectl conpaas htc add to append a bag)");
        }
        ConfigMapKeyRef bag = storeBag(job, 1, readBag(arg(1, "FILE")));
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          HtcJob j = new HtcJob(job);
          j.getBags().add(bag);
          s.getSpec().getJobs().add(j);
          return s;
        }));
        say("job " + job + " created in " + service + " with bag " + bag.getName());
      }
      case add -> {
        String job = arg(0, "JOB");
        HtcJob existing = job(htc, job).orElseThrow(() -> new CliException("no job " + job + " in " + service
            + " (kubectl conpaas htc create-job)"));
        ConfigMapKeyRef bag = storeBag(job, existing.getBags().size() + 1, readBag(arg(1, "FILE")));
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          job(s, job).orElseThrow().getBags().add(bag);
          return s;
        }));
        say("bag " + bag.getName() + " added to job " + job + " of " + service);
      }
      case sample -> {
        String job = existingJob(htc, arg(0, "JOB"));
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          s.getSpec().setSample(job);
          return s;
        }));
        say("job " + job + " of " + service + " is sampled on every instance type");
      }
      case submit -> {
        String job = existingJob(htc, arg(0, "JOB"));
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          job(s, job).orElseThrow().setSubmitted(true);
          return s;
        }));
        say("job " + job + " of " + service + " submitted");
      }
      case throughput -> {
        if (arguments.isEmpty()) {
          if (status(htc).getThroughputFunction() == null) {
            throw new CliException("no throughput function yet: sample a job first (kubectl conpaas htc sample "
                + service + " JOB)");
          }
          HtcFunction.table(status(htc).getThroughputFunction()).forEach(this::say);
        } else {
          double t = target();
          HtcThroughputPoint p = HtcFunction.configuration(status(htc).getThroughputFunction(), t);
          say(String.format(Locale.ROOT, "%.1f tasks/hour cost %.3f per hour (%s, %.1f tasks/hour)", t, p.getCost(),
              HtcFunction.workers(p.getWorkers()), p.getThroughput()));
        }
      }
      case configuration -> {
        double t = target();
        HtcThroughputPoint p = HtcFunction.configuration(status(htc).getThroughputFunction(), t);
        say(String.format(Locale.ROOT, "%.1f tasks/hour: %s (%.1f tasks/hour, %.3f per hour)", t,
            HtcFunction.workers(p.getWorkers()), p.getThroughput(), p.getCost()));
      }
      case select -> {
        double t = target();
        HtcThroughputPoint p = HtcFunction.configuration(status(htc).getThroughputFunction(), t);
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          s.getSpec().setTargetThroughput(t);
          List<HtcWorkerPool> pools = new ArrayList<>();
          p.getWorkers().forEach(w -> pools.add(new HtcWorkerPool(w.getInstanceType(), w.getCount())));
          s.getSpec().setWorkerPools(pools);
          return s;
        }));
        say(String.format(Locale.ROOT, "target %.1f tasks/hour selected for %s: %s", t, service,
            HtcFunction.workers(p.getWorkers())));
      }
    }
    return 0;
  }

  private ConfigMapKeyRef storeBag(String job, int index, String text) {
    return BagFiles.store(root.client(), root.namespace(), service + "-" + job + "-" + index, text);
  }

  private static Optional<HtcJob> job(HtcService s, String name) {
    return s.getSpec().getJobs().stream().filter(j -> name.equals(j.getName())).findFirst();
  }

  private String existingJob(HtcService s, String name) {
    if (job(s, name).isEmpty()) {
      throw new CliException("no job " + name + " in " + service + " (kubectl conpaas htc create-job)");
    }
    return name;
  }

  private static HtcServiceStatus status(HtcService s) {
    return s.getStatus() == null ? new HtcServiceStatus() : s.getStatus();
  }

  private double target() {
    String t = arg(0, "T (tasks/hour)");
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new CliException("T must be a number of tasks per hour, not " + t);
    }
  }

  private String arg(int index, String what) {
    if (arguments.size() <= index) {
      throw new CliException("htc " + action.name().replace('_', '-') + " needs " + what);
    }
    return arguments.get(index);
  }

  private String readBag(String file) throws IOException {
    return BagFiles.read(root.stdin(), file);
  }
}
