package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.MapReduceJobStatus;
import io.conpaas.plugin.ServiceKind.Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mapreduce submit|jobs}: runs a job jar on a MapReduce service's master (ConPaaS "submit a
 * MapReduce job"), its data first put into HDFS, all through Kubernetes-authorized uploads; lists jobs.
 */
@Command(name = "mapreduce",
    header = "Submit a MapReduce job (a jar) to a MapReduce service, or list its jobs.",
    description = {"`submit SERVICE JAR [ARGS...]` streams JAR to the service's master, which runs `hadoop jar JAR "
        + "ARGS` there as a Hadoop client of the service; each `--input LOCAL=HDFS_PATH` file is written into HDFS "
        + "first. Every file goes the way upload-code does: a CodeUpload object for the service (allowed only to "
        + "callers who may update it) carrying the SHA-256 of a one-time token, then one PUT to the operator's "
        + "one-time URL; the operator hands it to the master agent over mutual TLS. Prints the job's id; with "
        + "--wait, waits for its end and exits 1 unless it SUCCEEDED. Put job options that start with - after --.",
        "`jobs SERVICE` lists the service's recent jobs (status.jobs) with their state."})
final class MapReduceCommand extends PluginCommand {
  enum Action { submit, jobs }

  @Parameters(index = "0", paramLabel = "ACTION", description = "submit or jobs.")
  Action action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "MapReduce service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "2..*", paramLabel = "JAR [ARGS]", arity = "0..*",
      description = "submit: the job jar, then the job's arguments.")
  List<String> rest = new ArrayList<>();

  @Option(names = "--input", paramLabel = "LOCAL=HDFS_PATH",
      description = "A local file written into HDFS at HDFS_PATH (overwriting) before the job starts; repeatable.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--wait", description = "Wait until the job ends; exit 1 unless it SUCCEEDED.")
  boolean await;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = Durations.class,
      description = "How long to wait for each upload URL (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--job-timeout", defaultValue = "30m", paramLabel = "DURATION", converter = Durations.class,
      description = "With --wait: how long to wait for the job (default: ${DEFAULT-VALUE}).")
  Duration jobTimeout;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.HDFS,
        "MapReduce service", "mapreduce");
    if (action == Action.jobs) {
      TableWriter t = new TableWriter("JOB", "STATE", "YARN APPLICATION");
      s.jobs().forEach(j -> t.row(j.getId(), j.getState(), j.getApplication() == null ? TableWriter.NONE
          : j.getApplication()));
      t.print(out());
      return 0;
    }
    if (rest.isEmpty()) {
      throw new CliException("mapreduce submit takes SERVICE JAR [ARGS...]");
    }
    Path jar = readable(Path.of(rest.get(0)), "the job jar");
    List<String> args = List.copyOf(rest.subList(1, rest.size()));
    for (String input : inputs) {
      int eq = input.lastIndexOf('=');
      if (eq <= 0 || !input.substring(eq + 1).startsWith("/")) {
        throw new CliException("--input takes LOCAL=HDFS_PATH with an absolute HDFS path: " + input);
      }
      Path local = readable(Path.of(input.substring(0, eq)), "--input");
      String hdfsPath = input.substring(eq + 1);
      upload(s, local, s.name() + "-data-", spec -> spec.setHdfsPath(hdfsPath));
      say("put " + local + " to " + hdfsPath + " in " + s.ref());
    }
    ArchiveUpload.Answer answer = upload(s, jar, s.name() + "-job-", spec -> spec.setArgs(args.isEmpty() ? null
        : args));
    String job = answer.json() != null && answer.json().get("job") instanceof String id ? id : null;
    if (job == null) {
      throw new CliException("mapreduce submit: the operator accepted the jar but named no job: "
          + ErrorMessages.oneLine(String.valueOf(answer.body())));
    }
    say("job " + job + " submitted to " + s.ref());
    if (!await) {
      return 0;
    }
    MapReduceJobStatus end = awaitEnd(s, job);
    say("job " + job + " " + end.getState() + (end.getApplication() == null ? "" : " (" + end.getApplication()
        + ")"));
    return "SUCCEEDED".equals(end.getState()) ? 0 : 1;
  }

  /** One authorized upload (a CodeUpload, then one PUT); the operator's 2xx answer, else a one-line failure. */
  private ArchiveUpload.Answer upload(ServiceObject s, Path file, String namePrefix,
      Consumer<io.conpaas.api.v1alpha1.CodeUploadSpec> spec) throws IOException, InterruptedException {
    String token = UploadToken.generate(new SecureRandom());
    CodeUploadRequests requests = new CodeUploadRequests(root.client(), "mapreduce submit");
    CodeUpload request = requests.create(s, null, UploadToken.sha256(token), namePrefix, spec);
    ArchiveUpload.Answer answer;
    try {
      answer = new ArchiveUpload(root.client(), "mapreduce submit")
          .send(requests.awaitUrl(request, timeout).getUrl(), file, token);
    } finally {
      requests.deleteQuietly(request, this::warn);
    }
    if (!answer.successful()) {
      throw new CliException("mapreduce submit: " + file + ": " + answer.refusal());
    }
    return answer;
  }

  /** Polls status.jobs (the master's report, copied by the operator) until the job is no longer RUNNING. */
  private MapReduceJobStatus awaitEnd(ServiceObject s, String job) throws InterruptedException {
    long deadline = System.nanoTime() + jobTimeout.toNanos();
    while (true) {
      Optional<MapReduceJobStatus> j = new ServiceObject(s.kind(), root.locator().resource(s.kind(), s.namespace(), s.name()).get()).jobs().stream()
          .filter(x -> job.equals(x.getId())).findFirst();
      if (j.isPresent() && j.get().getState() != null && !"RUNNING".equals(j.get().getState())) {
        return j.get();
      }
      if (System.nanoTime() > deadline) {
        throw new CliException("job " + job + " did not end within " + Durations.format(jobTimeout) + " (state "
            + j.map(MapReduceJobStatus::getState).orElse("not reported yet") + "); see kubectl conpaas mapreduce jobs "
            + s.name() + " -n " + s.namespace());
      }
      Thread.sleep(1000);
    }
  }

  private static Path readable(Path p, String what) {
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new CliException("cannot read " + p + " (" + what + ")");
    }
    return p;
  }
}
