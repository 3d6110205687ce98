package io.conpaas.agent.mapreduce;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import io.conpaas.agent.web.RoleConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /mapreduce/jobs} on the master (ConPaaS "submit a MapReduce job"): PUT with a job jar as
 * the body and its arguments as repeated {@code arg} query parameters runs {@code hadoop jar JAR
 * ARGS} (Hadoop's RunJar) as the VM's account with the master's configuration, in the background;
 * answers 202 {"job": id, "state": "RUNNING"}. GET lists the jobs with their state (RUNNING,
 * SUCCEEDED, FAILED, LOST: the agent restarted under it) and the tail of their output. Each job's
 * jar, state and log live in jobs/&lt;id&gt;/ (state survives an agent restart).
 */
final class JobsEndpoint implements HttpHandler {
  static final long MAX_JAR_BYTES = 256L << 20;
  static final Duration JOB_TIMEOUT = Duration.ofHours(6);
  private final Path jobs;
  private final WorkerUser user;
  private final Supplier<String> classpath;
  private final Map<String, Process> running = new java.util.concurrent.ConcurrentHashMap<>();

  /** jobs: an agent-owned directory; classpath: the YARN class path with the master's configuration. */
  JobsEndpoint(Path jobs, WorkerUser user, Supplier<String> classpath) {
    this.jobs = RoleConfig.publicDirectory(jobs);
    this.user = user;
    this.classpath = classpath;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    switch (ex.getRequestMethod()) {
      case "GET" -> JsonExchange.respond(ex, 200, Map.of("jobs", list()));
      case "PUT" -> submit(ex);
      default -> JsonExchange.error(ex, 405, "PUT a job jar (arguments as arg= query parameters) or GET the jobs");
    }
  }

  private void submit(HttpExchange ex) throws IOException {
    List<String> args = new ArrayList<>();
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.startsWith("arg=")) {
          args.add(URLDecoder.decode(part.substring(4), StandardCharsets.UTF_8));
        }
      }
    }
    String id = "job-" + System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir = RoleConfig.publicDirectory(jobs.resolve(id));
    Path jar = dir.resolve("job.jar");
    try (InputStream body = ex.getRequestBody()) {
      if (!receive(body, jar)) {
        JsonExchange.error(ex, 413, "the job jar is larger than " + MAX_JAR_BYTES + " bytes");
        return;
      }
    }
    RoleConfig.writeAtomically(dir.resolve("args"), String.join("\n", args));
    RoleConfig.writeAtomically(dir.resolve("state"), "RUNNING");
    List<String> cmd = new ArrayList<>(user.commandPrefix());
    cmd.addAll(List.of(Binaries.find("env").toString(), "HOME=" + dir, Binaries.java().toString()));
    cmd.addAll(HadoopLibrary.jvmOptions(128, dir));
    cmd.addAll(List.of("-cp", classpath.get(), HadoopLibrary.RUN_JAR, jar.toString()));
    cmd.addAll(args);
    File log = SafeFiles.appendableLog(dir.resolve("job.log")).toFile();
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    running.put(id, p);
    Thread waiter = new Thread(() -> await(id, p, dir), "mapreduce-" + id);
    waiter.setDaemon(true);
    waiter.start();
    JsonExchange.respond(ex, 202, Map.of("job", id, "state", "RUNNING"));
  }

  private void await(String id, Process p, Path dir) {
    try {
      boolean ended = p.waitFor(JOB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      RoleConfig.writeAtomically(dir.resolve("state"), ended && p.exitValue() == 0 ? "SUCCEEDED"
          : "FAILED " + (ended ? "exit " + p.exitValue() : "timed out after " + JOB_TIMEOUT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running.remove(id);
    }
  }

  /** Every job, oldest first: id, state, arguments, the end of its output. */
  List<Map<String, Object>> list() throws IOException {
    Map<String, Map<String, Object>> all = new TreeMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jobs, "job-*")) {
      for (Path d : dirs) {
        String id = d.getFileName().toString();
        String state = SafeFiles.readTail(d.resolve("state"), 256).orElse("LOST").strip();
        if ("RUNNING".equals(state) && !running.containsKey(id)) {
          state = "LOST";
        }
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job", id);
        job.put("state", state);
        job.put("args", List.of(SafeFiles.readTail(d.resolve("args"), 64 * 1024).orElse("").split("\n")));
        job.put("output", SafeFiles.readTail(d.resolve("job.log"), 4096).orElse(""));
        job.put("application", application(d));
        all.put(id, job);
      }
    }
    return List.copyOf(all.values());
  }

  /** The YARN application id the job's client logged on submitting (read once, kept in the job's dir), or "". */
  private static String application(Path dir) {
    Path known = dir.resolve("application");
    java.util.Optional<String> kept = SafeFiles.readTail(known, 128).map(String::strip).filter(s -> !s.isEmpty());
    if (kept.isPresent()) {
      return kept.get();
    }
    // The client names it early ("Submitted application application_..."), within its first lines.
    java.util.regex.Matcher m = APPLICATION.matcher(head(dir.resolve("job.log"), 64 * 1024));
    if (!m.find()) {
      return "";
    }
    RoleConfig.writeAtomically(known, m.group(1));
    return m.group(1);
  }

  private static final java.util.regex.Pattern APPLICATION =
      java.util.regex.Pattern.compile("Submitted application (application_[0-9]+_[0-9]+)");

  private static String head(Path file, int max) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(max), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code max} jobs, oldest first: id, state, YARN application (the master's jobs fact). */
  List<Map<String, String>> recent(int max) {
    try {
      List<Map<String, Object>> all = list();
      return all.subList(Math.max(0, all.size() - max), all.size()).stream()
          .map(j -> Map.of("job", (String) j.get("job"), "state", (String) j.get("state"),
              "application", (String) j.get("application")))
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Counts of jobs by state word (RUNNING, SUCCEEDED, FAILED, LOST). */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    try {
      for (Map<String, Object> job : list()) {
        counts.merge(((String) job.get("state")).split(" ")[0], 1, Integer::sum);
      }
    } catch (IOException | RuntimeException e) {
      // No jobs directory yet.
    }
    return counts;
  }

  private static boolean receive(InputStream body, Path file) throws IOException {
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      int n;
      while ((n = body.read(buf)) > 0) {
        total += n;
        if (total > MAX_JAR_BYTES) {
          out.close();
          Files.deleteIfExists(file);
          return false;
        }
        out.write(buf, 0, n);
      }
    }
    return true;
  }
}
