package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.conpaas.plugin.dashboard.DashboardApi;
import io.conpaas.plugin.dashboard.DashboardServer;
import io.conpaas.plugin.dashboard.KindCatalog;
import io.conpaas.plugin.dashboard.PluginActions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
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
        "It runs until interrupted (Ctrl-C).",
        "With --in-cluster it is the shared, in-cluster dashboard (the chart's dashboard.enabled): it listens on "
        + "--listen, holds no credentials of its own and reads no kubeconfig; each request acts with the bearer "
        + "token the authenticating proxy in front of it passes (Authorization: Bearer, or X-Forwarded-Access-Token), "
        + "and a request without one is refused (401)."})
final class DashboardCommand extends PluginCommand {
  private static final Duration UPLOAD_URL_TIMEOUT = Duration.ofSeconds(60);

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "Port on 127.0.0.1 (default: a free port).")
  int port;

  @Option(names = "--open", description = "Open the dashboard in the default browser (xdg-open).")
  boolean open;

  @Option(names = "--in-cluster", description = "Serve the shared in-cluster dashboard: every request acts with the "
      + "user's bearer token, none is refused; no kubeconfig is read.")
  boolean inCluster;

  @Option(names = "--listen", defaultValue = "0.0.0.0:8080", paramLabel = "HOST:PORT",
      description = "With --in-cluster: the address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--api-server", paramLabel = "URL", description = "With --in-cluster: the API server "
      + "(default: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT).")
  String apiServer;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "With --in-cluster: the API server's CA "
      + "certificate (e.g. the kube-root-ca.crt ConfigMap mounted as a file).")
  Path caFile;

  @Option(names = "--public-origin", paramLabel = "URL", description = "With --in-cluster: the scheme://host[:port] "
      + "users open; writes need this Origin (default: the request's Host).")
  String publicOrigin;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (inCluster) {
      return serveInCluster();
    }
    KubernetesClient client = root.client();
    DashboardApi api = new DashboardApi(client, new KindCatalog(root.kinds()), new Actions(client), root.namespace());
    try (DashboardServer server = DashboardServer.start(port, api)) {
      say("Dashboard (namespace " + root.namespace() + "): " + server.entryUrl());
      say("Press Ctrl-C to stop it.");
      if (open) {
        openBrowser(server.entryUrl().toString());
      }
      awaitInterrupt();
    }
    return 0;
  }

  private int serveInCluster() throws IOException, InterruptedException {
    String server = apiServer != null ? apiServer : inClusterApiServer();
    if (caFile != null && !Files.isReadable(caFile)) {
      throw new CliException("cannot read the CA file " + caFile);
    }
    String ns = root.explicitNamespace() != null ? root.explicitNamespace() : "default";
    KindCatalog catalog = new KindCatalog(root.kinds());
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new CliException("--listen needs HOST:PORT, not " + listen);
    }
    InetSocketAddress address = new InetSocketAddress(listen.substring(0, colon),
        Integer.parseInt(listen.substring(colon + 1)));
    try (DashboardServer d = DashboardServer.startInCluster(address, token -> bearerClient(server, token),
        client -> new DashboardApi(client, catalog, new Actions(client), ns), catalog, publicOrigin)) {
      say("In-cluster dashboard on " + listen.substring(0, colon) + ":" + d.port() + " for API server " + server
          + " (acting with each request's bearer token only)");
      awaitInterrupt();
    }
    return 0;
  }

  /** A client that carries {@code token} and nothing else: no kubeconfig, no ServiceAccount file, no refresh. */
  private KubernetesClient bearerClient(String server, String token) {
    // HTTP/1.1: the API server answers a token it rejects with 401 and, over HTTP/2, a GOAWAY that the JDK
    // client reports as an I/O error (retried for ~20 s, then shown without the 401).
    ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(server).withOauthToken(token)
        .withHttp2Disable(true).withConnectionTimeout(10_000).withRequestTimeout(30_000);
    if (caFile != null) {
      b.withCaCertFile(caFile.toAbsolutePath().toString());
    }
    return ConpaasCommand.clientOf(b.build());
  }

  private static String inClusterApiServer() {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || port == null) {
      throw new CliException("--in-cluster needs --api-server outside a Pod (KUBERNETES_SERVICE_HOST is not set)");
    }
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static void awaitInterrupt() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    stop.await();
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

  /** upload-code's and reset-password's own code, for the dashboard, with one identity's client. */
  private final class Actions implements PluginActions {
    private final KubernetesClient client;

    Actions(KubernetesClient client) {
      this.client = client;
    }

    @Override
    public String uploadCode(ServiceObject s, String version, Path archive) throws Exception {
      return upload(client, s, version, archive);
    }

    @Override
    public void resetPassword(ServiceObject s, String password) {
      new PasswordSecrets(client).setPassword(s, s.passwordSecret(), password);
    }
  }

  private String upload(KubernetesClient client, ServiceObject s, String version, Path archive)
      throws IOException, InterruptedException {
    List<String> known = CodeVersions.names(s.code().getVersions());
    String v = version == null ? CodeVersions.next(known) : CodeVersions.requireValid(version);
    if (known.contains(v)) {
      throw new CliException("version " + v + " of " + s.ref() + " exists already; its versions: "
          + CodeVersions.describe(known));
    }
    String token = UploadToken.generate(new SecureRandom());
    CodeUploadRequests requests = new CodeUploadRequests(client, "upload");
    CodeUpload request = requests.create(s, v, UploadToken.sha256(token));
    try {
      CodeUploadStatus answer = requests.awaitUrl(request, UPLOAD_URL_TIMEOUT);
      new ArchiveUpload(client, "upload").put(answer.getUrl(), archive, token);
    } finally {
      requests.deleteQuietly(request, this::warn);
    }
    return v;
  }
}
