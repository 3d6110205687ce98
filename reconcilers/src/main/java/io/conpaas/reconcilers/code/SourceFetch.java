package io.conpaas.reconcilers.code;

import io.conpaas.agent.code.UploadRejected;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.GitSource;
import io.conpaas.reconcilers.net.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking fetch of a {@code spec.code.source} into the {@link CodeStore} (run off the
 * reconcile thread by {@link CodeSourceFetcher}): an archive URL is downloaded through the
 * {@link GuardedDownload}, checked against its SHA-256 and stored as {@code src-<sha256 prefix>};
 * a git ref is fetched with JGit ({@link GitClone}: http(s) only, every host checked like a URL's
 * and pinned to the checked address, no redirects, no git configuration of the machine), resolved
 * to a commit and its tree stored as {@code git-<commit prefix>}. Everything a fetch does, clone
 * and archive included, ends at one deadline.
 */
final class SourceFetch {
  private final CodeStore store;
  private final Path scratch;
  private final SourceFetchSettings settings;
  private final DestinationGuard guard;
  private final GuardedDownload http;
  private final SSLSocketFactory tls;

  SourceFetch(CodeStore store, Path scratch, SourceFetchSettings settings, DestinationGuard guard) {
    this(store, scratch, settings, guard, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** tls: how https connections are made (tests trust their own certificate). */
  SourceFetch(CodeStore store, Path scratch, SourceFetchSettings settings, DestinationGuard guard,
      SSLSocketFactory tls) {
    this.store = store;
    this.scratch = scratch;
    this.settings = settings;
    this.guard = guard;
    this.tls = tls;
    this.http = new GuardedDownload(guard, settings.connectTimeout(), settings.readTimeout(), settings.maxRedirects(),
        tls);
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

  private String fetchGit(ServiceCode service, GitSource git, Deadline deadline) throws IOException {
    URI url = gitUrl(git.getUrl());
    Path repo = Files.createTempDirectory(scratch, "git");
    Path tar = repo.resolveSibling(repo.getFileName() + ".tar");
    // What the server sends (packs, loose objects, refs) is capped like an expanded archive.
    try (GuardedGitHttp http = new GuardedGitHttp(guard, tls, settings.connectTimeout(), settings.readTimeout(),
        deadline, store.limits().maxExpandedBytes())) {
      // Checked before JGit starts, so a refused host is refused with our reason and nothing is sent.
      http.destination(url.getHost());
      String commit = GitClone.fetch(url, git.getRef(), repo, tar, http, store.limits().maxExpandedBytes());
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
