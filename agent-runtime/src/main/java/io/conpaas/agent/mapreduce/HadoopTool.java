package io.conpaas.agent.mapreduce;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.LogFile;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived Hadoop command (format the NameNode, refresh its node lists, set replication) run
 * as the worker account with the role's class path; its output is appended to log (an agent-owned
 * file), and one that does not end within its time limit is killed.
 */
final class HadoopTool {
  private final WorkerUser user;
  private final Path log;
  private final Path tmp;

  HadoopTool(WorkerUser user, Path log, Path tmp) {
    this.user = user;
    this.log = log;
    this.tmp = tmp;
  }

  /** Runs mainClass with args; the exit code (-1 when it was killed after timeout). */
  int run(String classpath, String mainClass, List<String> args, Duration timeout) {
    List<String> cmd = new ArrayList<>(user.commandPrefix());
    cmd.add(Binaries.find("env").toString());
    cmd.add("HOME=" + tmp);
    cmd.add(Binaries.java().toString());
    cmd.addAll(HadoopLibrary.jvmOptions(128, tmp));
    cmd.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-cp", classpath, mainClass));
    cmd.addAll(args);
    try {
      File out = SafeFiles.appendableLog(log).toFile();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + mainClass + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String logTail() {
    return LogFile.tail(log);
  }
}
