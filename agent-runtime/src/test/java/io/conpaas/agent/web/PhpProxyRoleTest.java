package io.conpaas.agent.web;

import static io.conpaas.agent.web.WebRoleFixture.get;
import static io.conpaas.agent.web.WebRoleFixture.hostPort;
import static io.conpaas.agent.web.WebRoleFixture.in;
import static io.conpaas.agent.web.WebRoleFixture.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.TestArchives;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PHP proxy over two real backends and a web server: balancing, shared sessions, graceful removal. */
class PhpProxyRoleTest {
  private static final byte[] APP = TestArchives.zip()
      .file("counter.php", "<?php session_start(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;"
          + " echo $_SERVER['CONPAAS_AGENT'], ' ', $_SESSION['n'];")
      .file("slow.php", "<?php usleep(300000); echo $_SERVER['CONPAAS_AGENT'];")
      .file("site.css", "/* from a backend */").bytes();

  @TempDir
  Path dir;
  private WebRoleFixture fixture;
  private ProxyRole proxy;
  private PhpBackendRole a;
  private PhpBackendRole b;

  @BeforeEach
  void startServiceOfTwoBackends() {
    fixture = new WebRoleFixture(dir);
    proxy = fixture.start("php-proxy-0", new ProxyRole(true), Map.of());
    String store = "http://127.0.0.1:" + proxy.facts().get("sessionPort") + "/sessions/";
    a = backend("php-backend-a", store);
    b = backend("php-backend-b", store);
    proxy.configure(Map.of("backends", hostPort(a) + "," + hostPort(b)));
  }

  private PhpBackendRole backend(String name, String store) {
    PhpBackendRole role = fixture.start(name, new PhpBackendRole(WebRoleFixture.LIMITS), Map.of("sessionStore", store));
    role.code().upload("v1", in(APP), -1);
    role.activate("v1");
    return role;
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void balancesOverBothBackendsAndTheSessionCounterKeepsCounting() {
    HttpClient browser = WebRoleFixture.browser();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r = get(browser, url(proxy, "/counter.php"));
      assertThat(r.statusCode()).isEqualTo(200);
      answers.add(r.body());
    }

    assertThat(answers).extracting(s -> s.split(" ")[0]).contains("php-backend-a", "php-backend-b");
    assertThat(answers).extracting(s -> s.split(" ")[1]).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
    // A second browser has a session of its own.
    assertThat(get(WebRoleFixture.browser(), url(proxy, "/counter.php")).body()).endsWith(" 1");
  }

  @Test
  void sessionStoreIsNotOpenToEveryone() {
    String store = "http://127.0.0.1:" + proxy.facts().get("sessionPort");

    assertThat(get(store + "/").statusCode()).isEqualTo(404);
    assertThat(get(store + "/sessions/").statusCode()).isIn(403, 404, 405);
  }

  @Test
  void staticFilesGoToTheWebServerAndTheRestToBackends() {
    WebRole web = fixture.start("php-web-0", new WebRole(Set.of(ArchiveFormat.ZIP), WebRoleFixture.LIMITS), Map.of());
    web.code().upload("v1", in(TestArchives.zip().file("site.css", "/* from the web server */")
        .file("counter.php", "<?php // must never be served by a static server").bytes()), -1);
    web.activate("v1");

    proxy.configure(Map.of("backends", hostPort(a), "web", hostPort(web)));

    assertThat(get(url(proxy, "/site.css")).body()).isEqualTo("/* from the web server */");
    assertThat(get(url(proxy, "/counter.php")).body()).startsWith("php-backend-a ");
    assertThat(get(url(web, "/counter.php")).statusCode()).isEqualTo(404);
  }

  @Test
  void withoutBackendsTheProxyAnswers503() {
    proxy.configure(Map.of("backends", ""));

    assertThat(get(url(proxy, "/counter.php")).statusCode()).isEqualTo(503);
  }

  @Test
  void removingABackendUnderLoadLosesNoRequest() throws Exception {
    List<String> results = Collections.synchronizedList(new ArrayList<>());
    List<String> afterRemoval = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean removed = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      clients.submit(() -> {
        HttpClient client = HttpClient.newHttpClient();
        while (running.get()) {
          boolean sentAfterRemoval = removed.get();
          String outcome;
          try {
            HttpResponse<String> r = get(client, url(proxy, "/slow.php"));
            outcome = r.statusCode() + " " + r.body();
          } catch (RuntimeException e) {
            outcome = "failed " + e;
          }
          results.add(outcome);
          if (sentAfterRemoval) {
            afterRemoval.add(outcome);
          }
        }
      });
    }
    Thread.sleep(1200);

    // What the operator does on scale-down: the proxy drops b (graceful reload), then b's VM goes.
    proxy.configure(Map.of("backends", hostPort(a)));
    removed.set(true);
    b.stop();
    Thread.sleep(1500);
    running.set(false);
    clients.shutdown();
    assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(results).hasSizeGreaterThan(20).allMatch(s -> s.startsWith("200 "), "answered 200");
    assertThat(results).contains("200 php-backend-b");
    assertThat(afterRemoval).isNotEmpty().allMatch(s -> s.equals("200 php-backend-a"));
    assertThat(proxy.facts()).containsEntry("backends", hostPort(a));
  }
}
