package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.testing.DevCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Debian's headless chromium driven through a chromedriver this class starts, plus the dashboard
 * processes (the installed plugin jar) the dashboard ITs open in it, and the waits they share.
 */
final class DashboardBrowser implements AutoCloseable {
  static final Path JAR = DevCluster.repoRoot().resolve("kubectl-plugin/target/kubectl-conpaas.jar");
  static final Path SHOTS = DevCluster.repoRoot().resolve("kubectl-plugin/target/dashboard-screenshots");

  final RemoteWebDriver driver;
  private final Process chromedriver;
  private final Duration wait;
  private final List<Process> dashboards = new ArrayList<>();

  private DashboardBrowser(Process chromedriver, RemoteWebDriver driver, Duration wait) {
    this.chromedriver = chromedriver;
    this.driver = driver;
    this.wait = wait;
  }

  /** Starts chromedriver and a headless chromium with its profile in {@code dir}; waits up to {@code wait}. */
  static DashboardBrowser start(Path dir, Duration wait) throws Exception {
    assertThat(JAR).as("the shaded jar (built in the package phase)").isRegularFile();
    Files.createDirectories(SHOTS);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process chromedriver = new ProcessBuilder("/usr/bin/chromedriver", "--port=" + port, "--allowed-ips=127.0.0.1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromedriver.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    URI status = URI.create("http://127.0.0.1:" + port + "/status");
    await().atMost(wait).until(() -> http.send(HttpRequest.newBuilder(status).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--window-size=1280,1000", "--no-proxy-server", "--disable-gpu",
        "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile"));
    if ("root".equals(System.getProperty("user.name"))) {
      options.addArguments("--no-sandbox"); // chromium refuses to sandbox as root
    }
    RemoteWebDriver driver = new RemoteWebDriver(new URL("http://127.0.0.1:" + port), options);
    driver.manage().timeouts().pageLoadTimeout(wait);
    return new DashboardBrowser(chromedriver, driver, wait);
  }

  /** Runs {@code kubectl conpaas dashboard ARGS} (the jar) and returns the entry URL it prints first. */
  URI dashboard(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "dashboard"));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    dashboards.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the dashboard's first line").isNotNull().contains("http://127.0.0.1:").contains("?token=");
    return URI.create(line.substring(line.indexOf("http://")).trim());
  }

  /** Opens a route of the dashboard at {@code entry} in namespace {@code ns} (the entry URL sets its cookie first). */
  void open(URI entry, String ns, String route) {
    driver.get(entry.toString());
    element(By.id("live"));
    driver.get("http://127.0.0.1:" + entry.getPort() + "/#/ns/" + ns + "/" + route);
  }

  /** Clicks what {@code by} finds, again when a live update replaced it between finding and clicking. */
  void click(By by) {
    await().atMost(wait).ignoreException(StaleElementReferenceException.class).until(() -> {
      element(by).click();
      return true;
    });
  }

  WebElement element(By by) {
    return element(by, wait);
  }

  WebElement element(By by, Duration atMost) {
    return await().atMost(atMost).until(() -> driver.findElements(by), l -> !l.isEmpty()).get(0);
  }

  /** An attribute of what {@code by} finds, read again when a live update replaced the element meanwhile. */
  String attribute(By by, String name) {
    return await().atMost(wait).ignoreException(StaleElementReferenceException.class)
        .until(() -> element(by).getAttribute(name), java.util.Objects::nonNull);
  }

  /** The text of what {@code by} finds, once it contains {@code text} (live updates may replace the element meanwhile). */
  String text(By by, String text) {
    return text(by, text, wait);
  }

  String text(By by, String text, Duration atMost) {
    return await().atMost(atMost).ignoreException(StaleElementReferenceException.class)
        .until(() -> {
          List<WebElement> l = driver.findElements(by);
          return l.isEmpty() ? "" : l.get(0).getText();
        }, t -> t.contains(text));
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Writes a PNG of the page to target/dashboard-screenshots/NAME.png and returns its path. */
  Path screenshot(String name) throws IOException {
    return Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() throws InterruptedException {
    try {
      driver.quit();
    } finally {
      List<Process> all = new ArrayList<>(dashboards);
      all.add(chromedriver);
      for (Process p : all) {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
