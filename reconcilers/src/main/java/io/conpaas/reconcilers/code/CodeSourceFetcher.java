package io.conpaas.reconcilers.code;

import io.conpaas.agent.code.UploadRejected;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.GitSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Brings a service's {@code spec.code.source} into the {@link CodeStore} (GitOps): an archive
 * URL is downloaded, checked against its SHA-256 and stored as {@code src-<sha256 prefix>}; a git
 * ref is cloned, resolved to a commit and its tree stored as a tar named {@code git-<commit
 * prefix>}. Once stored nothing is fetched again (the store is the cache), so steady-state
 * reconciles make no network calls.
 */
public final class CodeSourceFetcher {
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

  private final CodeStore store;
  private final Path scratch;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(10)).build();

  public CodeSourceFetcher(CodeStore store, Path scratch) {
    this.store = store;
    this.scratch = scratch;
  }

  /** The version name the source is stored under, if it is stored already (no fetch). */
  public Optional<String> storedVersion(ServiceCode service, CodeSource source) {
    List<StoredVersion> stored = store.list(service);
    if (source.getGit() != null) {
      String origin = gitOrigin(source.getGit());
      return stored.stream().filter(v -> v.origin().equals(origin)).map(StoredVersion::name).findFirst();
    }
    String name = urlVersion(source);
    return stored.stream().filter(v -> v.name().equals(name)).map(StoredVersion::name).findFirst();
  }

  /** Fetches and stores the source unless stored; returns its version name or throws CodeFetchFailed. */
  public String ensure(ServiceCode service, CodeSource source) {
    Optional<String> stored = storedVersion(service, source);
    if (stored.isPresent()) {
      return stored.get();
    }
    try {
      Files.createDirectories(scratch);
      return source.getGit() != null ? fetchGit(service, source.getGit()) : download(service, source);
    } catch (IOException e) {
      throw new CodeFetchFailed("cannot fetch " + describe(source) + ": " + e.getMessage());
    } catch (UploadRejected e) {
      throw new CodeFetchFailed(describe(source) + " was refused: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeFetchFailed("interrupted while fetching " + describe(source));
    }
  }

  private String download(ServiceCode service, CodeSource source) throws IOException, InterruptedException {
    Path file = Files.createTempFile(scratch, "download", ".part");
    try {
      HttpResponse<Path> r = http.send(HttpRequest.newBuilder(URI.create(source.getUrl())).timeout(DOWNLOAD_TIMEOUT)
          .GET().build(), HttpResponse.BodyHandlers.ofFile(file));
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      if (Files.size(file) > store.limits().maxUploadBytes()) {
        throw new IOException("the archive has " + Files.size(file) + " bytes, more than the limit of "
            + store.limits().maxUploadBytes());
      }
      String sha = sha256(file);
      if (!sha.equals(source.getSha256())) {
        throw new IOException("the download has sha256 " + sha + ", but spec.code.source.sha256 is "
            + source.getSha256());
      }
      String version = urlVersion(source);
      try (InputStream in = Files.newInputStream(file)) {
        store.store(service, version, in, Files.size(file), source.getUrl());
      }
      return version;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private String fetchGit(ServiceCode service, GitSource git) throws IOException, InterruptedException {
    Path repo = Files.createTempDirectory(scratch, "git");
    Path tar = repo.resolveSibling(repo.getFileName() + ".tar");
    try {
      run(repo.getParent(), "git", "clone", "--quiet", "--no-checkout", "--", git.getUrl(), repo.toString());
      String commit = resolve(repo, git.getRef());
      run(repo, "git", "archive", "--format=tar", "--output=" + tar, commit);
      String version = "git-" + commit.substring(0, 12);
      try (InputStream in = Files.newInputStream(tar)) {
        store.store(service, version, in, Files.size(tar), gitOrigin(git));
      }
      return version;
    } finally {
      Files.deleteIfExists(tar);
      deleteTree(repo);
    }
  }

  /** The commit a ref names: a remote branch, a tag or a commit id. */
  private static String resolve(Path repo, String ref) throws IOException, InterruptedException {
    for (String candidate : List.of("origin/" + ref, "refs/tags/" + ref, ref)) {
      try {
        return run(repo, "git", "rev-parse", "--verify", "--quiet", candidate + "^{commit}").trim();
      } catch (IOException notThisOne) {
        // Try the next reading of ref.
      }
    }
    throw new IOException("ref " + ref + " is neither a branch, a tag nor a commit of the repository");
  }

  private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // Never prompt for credentials: a private repository fails instead of hanging.
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(DOWNLOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd[0] + " " + cmd[1] + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(cmd[0] + " " + cmd[1] + " failed: " + out.strip());
    }
    return out;
  }

  private static String urlVersion(CodeSource source) {
    return "src-" + source.getSha256().substring(0, 12);
  }

  private static String gitOrigin(GitSource git) {
    return "git " + git.getUrl() + " " + git.getRef();
  }

  private static String describe(CodeSource source) {
    return source.getGit() != null ? "git " + source.getGit().getUrl() + " at " + source.getGit().getRef()
        : source.getUrl();
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
