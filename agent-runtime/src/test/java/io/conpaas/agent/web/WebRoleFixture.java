package io.conpaas.agent.web;

import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.code.ArchiveLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts real web roles in a test's directory and talks HTTP to them; stops them all at the end. */
final class WebRoleFixture implements AutoCloseable {
  static final ArchiveLimits LIMITS = new ArchiveLimits(16L << 20, 64L << 20, 1000, 100);

  private final Path workDir;
  private final List<RolePlugin> started = new ArrayList<>();

  /** base is a @TempDir; it is opened up (755) because the roles' servers run as www-data when tests run as root. */
  WebRoleFixture(Path base) {
    try {
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.workDir = base;
  }

  /** Inits and configures role as agent `name`, in its own "VM" directory. */
  <R extends RolePlugin> R start(String name, R role, Map<String, String> config) {
    Path vm = workDir.resolve(name);
    try {
      Files.createDirectories(vm);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    role.init(new RoleContext(name, vm, "127.0.0.1"));
    started.add(role);
    role.configure(config);
    return role;
  }

  static String url(RolePlugin role, String path) {
    return "http://127.0.0.1:" + role.facts().get("port") + path;
  }

  static String hostPort(RolePlugin role) {
    return "127.0.0.1:" + role.facts().get("port");
  }

  static ByteArrayInputStream in(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  /** A client with its own cookie jar (a browser, for sessions). */
  static HttpClient browser() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> get(HttpClient client, String url) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(String url) {
    return get(HttpClient.newHttpClient(), url);
  }

  @Override
  public void close() {
    started.forEach(RolePlugin::stop);
  }
}
