package io.conpaas.reconcilers.code;

import io.conpaas.agent.code.UploadRejected;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.GitSource;
import io.conpaas.reconcilers.net.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One blocking fetch of a {@code spec.code.source} into the {@link CodeStore} (run off the
 * reconcile thread by {@link CodeSourceFetcher}): an archive URL is downloaded through the
 * {@link GuardedDownload}, checked against its SHA-256 and stored as {@code src-<sha256 prefix>};
 * a git ref is cloned (http(s) only, the host checked like a URL's and pinned to the checked
 * address, no redirects), resolved to a commit and its tree stored as {@code git-<commit prefix>}.
 * Everything a fetch does, clone and archive included, ends at one deadline.
 */
final class SourceFetch {
  /** Proxies would resolve the host themselves, past the guard; helpers could prompt or run programs. */
  private static final List<String> SCRUBBED_ENV = List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
      "all_proxy", "ALL_PROXY", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_PROXY_COMMAND",
      "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_EXEC_PATH", "GIT_DIR", "GIT_WORK_TREE");
  private static final Map<String, String> GIT_ENV = Map.of(
      "GIT_TERMINAL_PROMPT", "0", // a private repository fails instead of hanging
      "GIT_ALLOW_PROTOCOL", "https:http", // no file://, ext::, ssh or git:// (also for submodules, redirects)
      "GIT_CONFIG_NOSYSTEM", "1",
      "GIT_CONFIG_GLOBAL", "/dev/null"); // no insteadOf or credential helpers from the operator's account

  private final CodeStore store;
  private final Path scratch;
  private final SourceFetchSettings settings;
  private final DestinationGuard guard;
  private final GuardedDownload http;

  SourceFetch(CodeStore store, Path scratch, SourceFetchSettings settings, DestinationGuard guard) {
    this.store = store;
    this.scratch = scratch;
    this.settings = settings;
    this.guard = guard;
    this.http = new GuardedDownload(guard, settings.connectTimeout(), settings.readTimeout(), settings.maxRedirects());
  }

  /** Fetches and stores the source; returns its version name or throws CodeFetchFailed with the reason. */
  String fetch(ServiceCode service, CodeSource source) {
    Deadline deadline = Deadline.after(settings.timeout());
    try {
      Files.createDirectories(scratch);
      return source.getGit() != null ? fetchGit(service, source.getGit(), deadline)
          : download(service, source, deadline);
    } catch (DestinationGuard.Refused e) {
      throw new CodeFetchFailed(describe(source) + " was refused: " + e.getMessage());
    } catch (IOException e) {
      throw new CodeFetchFailed("cannot fetch " + describe(source) + ": " + e.getMessage());
    } catch (UploadRejected e) {
      throw new CodeFetchFailed(describe(source) + " was refused: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeFetchFailed("interrupted while fetching " + describe(source));
    }
  }

  private String download(ServiceCode service, CodeSource source, Deadline deadline) throws IOException {
    Path file = Files.createTempFile(scratch, "download", ".part");
    try {
      URI url;
      try {
        url = new URI(source.getUrl());
      } catch (URISyntaxException e) {
        throw new IOException("not a URL: " + withoutUserInfo(source.getUrl()));
      }
      if (url.getRawUserInfo() != null) {
        // Credentials in the URL would end up in status, events and the store's origin.
        throw new DestinationGuard.Refused("spec.code.source.url must not carry credentials, not "
            + withoutUserInfo(source.getUrl()));
      }
      http.download(url, file, store.limits().maxUploadBytes(), deadline);
      String sha = sha256(file);
      if (!sha.equals(source.getSha256())) {
        throw new IOException("the download has sha256 " + sha + ", but spec.code.source.sha256 is "
            + source.getSha256());
      }
      String version = urlVersion(source);
      try (InputStream in = Files.newInputStream(file)) {
        store.store(service, version, in, Files.size(file), withoutUserInfo(source.getUrl()));
      }
      return version;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private String fetchGit(ServiceCode service, GitSource git, Deadline deadline)
      throws IOException, InterruptedException {
    URI url = gitUrl(git.getUrl());
    DestinationGuard.Destination dest = guard.check(url.getHost());
    int port = url.getPort() > 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    String address = dest.address() instanceof Inet6Address ? "[" + dest.address().getHostAddress() + "]"
        : dest.address().getHostAddress();
    Path repo = Files.createTempDirectory(scratch, "git");
    Path tar = repo.resolveSibling(repo.getFileName() + ".tar");
    try {
      List<String> clone = new ArrayList<>(List.of("git",
          // curl connects to the address checked above, not to a second DNS answer.
          "-c", "http.curloptResolve=" + dest.host() + ":" + port + ":" + address,
          // No redirects (they would skip the check) and no http-alternates (which follow the same switch).
          "-c", "http.followRedirects=false",
          "-c", "protocol.allow=never", "-c", "protocol.http.allow=always", "-c", "protocol.https.allow=always",
          "clone", "--quiet", "--no-checkout", "--", url.toString(), repo.toString()));
      BoundedProcess.SizeCap cap = new BoundedProcess.SizeCap(() -> BoundedProcess.treeSize(repo),
          store.limits().maxExpandedBytes(), "the clone");
      run(repo.getParent(), deadline, cap, clone);
      String commit = resolve(repo, git.getRef(), deadline);
      run(repo, deadline, null, List.of("git", "archive", "--format=tar", "--output=" + tar, commit));
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

  /** The git URL if it is http(s)://host/...; file://, ext::, ssh, git:// and host:path forms are refused. */
  static URI gitUrl(String text) throws IOException {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw new DestinationGuard.Refused("the git URL must be http(s)://host/path, not " + withoutUserInfo(text));
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null || url.getRawUserInfo() != null) {
      throw new DestinationGuard.Refused("the git URL must be http(s)://host/path (no other protocols, no"
          + " credentials in the URL), not " + withoutUserInfo(text));
    }
    return url;
  }

  /** The commit a ref names: a remote branch, a tag or a commit id. */
  private static String resolve(Path repo, String ref, Deadline deadline) throws IOException, InterruptedException {
    if (ref.startsWith("-")) {
      throw new IOException("ref " + ref + " is not a ref");
    }
    for (String candidate : List.of("origin/" + ref, "refs/tags/" + ref, ref)) {
      try {
        return run(repo, deadline, null, List.of("git", "rev-parse", "--verify", "--quiet", candidate + "^{commit}"))
            .trim();
      } catch (IOException notThisOne) {
        if (deadline.expired()) {
          throw notThisOne;
        }
        // Try the next reading of ref.
      }
    }
    throw new IOException("ref " + ref + " is neither a branch, a tag nor a commit of the repository");
  }

  private static String run(Path dir, Deadline deadline, BoundedProcess.SizeCap cap, List<String> cmd)
      throws IOException, InterruptedException {
    return BoundedProcess.run(dir, GIT_ENV, SCRUBBED_ENV, deadline, cap, cmd);
  }

  static String urlVersion(CodeSource source) {
    return "src-" + source.getSha256().substring(0, 12);
  }

  static String gitOrigin(GitSource git) {
    return "git " + withoutUserInfo(git.getUrl()) + " " + git.getRef();
  }

  static String describe(CodeSource source) {
    return source.getGit() != null ? "git " + withoutUserInfo(source.getGit().getUrl()) + " at "
        + source.getGit().getRef() : withoutUserInfo(source.getUrl());
  }

  /** The URL with any user:password@ part masked: URLs reach status, events and logs. */
  static String withoutUserInfo(String url) {
    return url == null ? null : url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1***@");
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
