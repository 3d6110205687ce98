package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.conpaas.plugin.dashboard.DashboardApi;
import io.conpaas.plugin.dashboard.DashboardServer;
import io.conpaas.plugin.dashboard.KindCatalog;
import io.conpaas.plugin.dashboard.PluginActions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dashboard}: the web front-end on 127.0.0.1, acting with the caller's kubeconfig credentials. */
@Command(name = "dashboard",
    header = "Serve the ConPaaS web dashboard on 127.0.0.1, acting as you.",
    description = {"Serves the dashboard (services per application, live; a page per service with its roles, "
        + "instances, conditions and events; scale, start, stop, terminate; code upload, activate and rollback; "
        + "MySQL password reset; a create form per kind) on 127.0.0.1 and prints its address. Every call goes to "
        + "the API server with your kubeconfig's credentials, like kubectl proxy: RBAC decides what you see and "
        + "may do. The address carries a random token valid for this run only; share it with no one.",
        "It runs until interrupted (Ctrl-C)."})
final class DashboardCommand extends PluginCommand {
  private static final Duration UPLOAD_URL_TIMEOUT = Duration.ofSeconds(60);

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "Port on 127.0.0.1 (default: a free port).")
  int port;

  @Option(names = "--open", description = "Open the dashboard in the default browser (xdg-open).")
  boolean open;

  @Override
  public Integer call() throws IOException, InterruptedException {
    DashboardApi api = new DashboardApi(root.client(), new KindCatalog(root.kinds()), new Actions(),
        root.namespace());
    try (DashboardServer server = DashboardServer.start(port, api)) {
      say("Dashboard (namespace " + root.namespace() + "): " + server.entryUrl());
      say("Press Ctrl-C to stop it.");
      if (open) {
        openBrowser(server.entryUrl().toString());
      }
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }

  private void openBrowser(String url) {
    try {
      Process p = new ProcessBuilder(List.of("xdg-open", url)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroy();
      }
    } catch (IOException e) {
      warn("cannot open a browser (" + e.getMessage() + "); open the address above yourself");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** upload-code's and reset-password's own code, for the dashboard. */
  private final class Actions implements PluginActions {
    @Override
    public String uploadCode(ServiceObject s, String version, Path archive) throws Exception {
      return upload(s, version, archive);
    }

    @Override
    public void resetPassword(ServiceObject s, String password) {
      new PasswordSecrets(root.client()).setPassword(s, s.passwordSecret(), password);
    }
  }

  private String upload(ServiceObject s, String version, Path archive) throws IOException, InterruptedException {
    List<String> known = CodeVersions.names(s.code().getVersions());
    String v = version == null ? CodeVersions.next(known) : CodeVersions.requireValid(version);
    if (known.contains(v)) {
      throw new CliException("version " + v + " of " + s.ref() + " exists already; its versions: "
          + CodeVersions.describe(known));
    }
    String token = UploadToken.generate(new SecureRandom());
    CodeUploadRequests requests = new CodeUploadRequests(root.client(), "upload");
    CodeUpload request = requests.create(s, v, UploadToken.sha256(token));
    try {
      CodeUploadStatus answer = requests.awaitUrl(request, UPLOAD_URL_TIMEOUT);
      new ArchiveUpload(root.client(), "upload").put(answer.getUrl(), archive, token);
    } finally {
      requests.deleteQuietly(request, this::warn);
    }
    return v;
  }
}
