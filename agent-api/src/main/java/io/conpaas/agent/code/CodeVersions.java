package io.conpaas.agent.code;

import io.conpaas.agent.api.AgentJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The code versions of one web role (ConPaaS upload_code_version / list_code_versions /
 * set_active_code). Layout under its directory: {@code versions/<v>/} expanded trees, {@code
 * meta/<v>.json} their descriptions, {@code current} a symlink to the active tree, switched by an
 * atomic rename. Uploads stream to {@code uploads/}, expand in {@code staging/} and appear in
 * {@code versions/} only when every check passed, so a rejected upload leaves nothing behind.
 */
public final class CodeVersions {
  /** The version created at first start so that the servers have something to serve. */
  public static final String DEFAULT_VERSION = "default";
  private static final Pattern VERSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final Path dir;
  private final Set<ArchiveFormat> accepted;
  private final ArchiveLimits limits;
  private final boolean keepArchives;

  public CodeVersions(Path dir, Set<ArchiveFormat> accepted, ArchiveLimits limits) {
    this(dir, accepted, limits, false);
  }

  /**
   * keepArchives: also keep each accepted upload as it came, under {@code archives/<v>} (the
   * operator's store, which forwards archives to agents); agents keep only the expanded trees.
   */
  public CodeVersions(Path dir, Set<ArchiveFormat> accepted, ArchiveLimits limits, boolean keepArchives) {
    this.dir = dir;
    this.accepted = Set.copyOf(accepted);
    this.limits = limits;
    this.keepArchives = keepArchives;
    try {
      for (String sub : List.of("versions", "meta", "uploads", "staging", "archives")) {
        Files.createDirectories(dir.resolve(sub));
      }
      WorkerReadableTree.directories(dir, dir.resolve("versions"));
      // Leftovers of an agent that died mid-upload.
      deleteContents(dir.resolve("uploads"));
      deleteContents(dir.resolve("staging"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare code directory " + dir, e);
    }
  }

  /** The symlink servers use as their document root; it always points at the active version's tree. */
  public Path current() {
    return dir.resolve("current");
  }

  /** The expanded tree of version (which must exist). */
  public Path tree(String version) {
    return dir.resolve("versions").resolve(version);
  }

  /** The archive version was uploaded as (kept only with keepArchives; may not exist). */
  public Path archive(String version) {
    checkName(version);
    return dir.resolve("archives").resolve(version);
  }

  /** Creates the default version from files written by init, and activates it, when no version is active yet. */
  public synchronized void ensureDefault(TreeWriter init) {
    if (active().isPresent()) {
      return;
    }
    try {
      Path tree = tree(DEFAULT_VERSION);
      if (!Files.isDirectory(tree)) {
        Path staging = dir.resolve("staging").resolve(UUID.randomUUID().toString());
        Files.createDirectories(staging);
        init.write(staging);
        WorkerReadableTree.all(staging);
        writeMeta(new CodeVersion(DEFAULT_VERSION, "builtin", "", 0, countFiles(staging), Instant.now().toString()));
        Files.move(staging, tree, StandardCopyOption.ATOMIC_MOVE);
      }
      activate(DEFAULT_VERSION);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the default code version", e);
    }
  }

  /** Writes the files of a built-in version into a directory. */
  @FunctionalInterface
  public interface TreeWriter {
    void write(Path dir) throws IOException;
  }

  /**
   * Streams body to disk (at most maxUploadBytes), checks and expands it, and publishes it as
   * version. Throws UploadRejected naming the problem; nothing is left behind then.
   */
  public CodeVersion upload(String version, InputStream body, long declaredLength) {
    checkName(version);
    if (Files.exists(tree(version), LinkOption.NOFOLLOW_LINKS)) {
      throw new UploadRejected(409, "version " + version + " already exists (versions are immutable)");
    }
    if (declaredLength > limits.maxUploadBytes()) {
      throw new UploadRejected(413, "upload of " + declaredLength + " bytes exceeds the limit of "
          + limits.maxUploadBytes() + " bytes");
    }
    Path upload = dir.resolve("uploads").resolve(UUID.randomUUID() + ".upload");
    Path staging = dir.resolve("staging").resolve(UUID.randomUUID().toString());
    try {
      String sha256 = receive(body, upload);
      long bytes = Files.size(upload);
      ArchiveFormat format = ArchiveFormat.detect(upload);
      if (!accepted.contains(format)) {
        throw UploadRejected.archive("a " + format.label() + " archive is not accepted here; expected "
            + acceptedLabel());
      }
      SafeTree tree = new SafeTree(staging, limits, bytes);
      try {
        ArchiveExpander.expand(upload, format, tree);
      } catch (IOException e) {
        throw UploadRejected.archive("corrupted " + format.label() + " archive: " + e.getMessage());
      }
      CodeVersion v = new CodeVersion(version, format.label(), sha256, bytes, tree.files(), Instant.now().toString());
      publish(staging, upload, v);
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store version " + version + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(upload);
      deleteQuietly(staging);
    }
  }

  private String acceptedLabel() {
    if (accepted.equals(Set.of(ArchiveFormat.ZIP))) {
      return "a war (zip) archive";
    }
    return accepted.stream().map(ArchiveFormat::label).sorted().reduce((a, b) -> a + ", " + b).orElse("");
  }

  private synchronized void publish(Path staging, Path upload, CodeVersion v) throws IOException {
    if (Files.exists(tree(v.version()), LinkOption.NOFOLLOW_LINKS)) {
      throw new UploadRejected(409, "version " + v.version() + " already exists (versions are immutable)");
    }
    if (keepArchives) {
      Files.move(upload, archive(v.version()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    writeMeta(v);
    Files.move(staging, tree(v.version()), StandardCopyOption.ATOMIC_MOVE);
  }

  private String receive(InputStream body, Path upload) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long total = 0;
    try (InputStream in = new DigestInputStream(body, sha); OutputStream out = Files.newOutputStream(upload)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > limits.maxUploadBytes()) {
          throw new UploadRejected(413, "upload exceeds the limit of " + limits.maxUploadBytes() + " bytes");
        }
        out.write(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Switches {@code current} to version atomically; 404 when it was never uploaded. */
  public synchronized Path activate(String version) {
    checkName(version);
    Path tree = tree(version);
    if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
      throw new UploadRejected(404, "version " + version + " has not been uploaded");
    }
    try {
      Path next = dir.resolve("current.next");
      Files.deleteIfExists(next);
      Files.createSymbolicLink(next, Path.of("versions", version));
      // rename(2) replaces the old link in one step: a request sees the old tree or the new one.
      Files.move(next, current(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return tree;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot activate version " + version, e);
    }
  }

  /** The active version, if any. */
  public Optional<String> active() {
    try {
      return Files.isSymbolicLink(current())
          ? Optional.of(Files.readSymbolicLink(current()).getFileName().toString()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every published version, oldest upload first. */
  public List<CodeVersion> list() {
    List<CodeVersion> result = new ArrayList<>();
    try (Stream<Path> trees = Files.list(dir.resolve("versions"))) {
      for (Path tree : (Iterable<Path>) trees::iterator) {
        result.add(readMeta(tree.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    result.sort(Comparator.comparing(CodeVersion::uploaded).thenComparing(CodeVersion::version));
    return result;
  }

  private static void checkName(String version) {
    if (version == null || !VERSION_NAME.matcher(version).matches()) {
      throw new UploadRejected(400, "invalid version name \"" + version
          + "\": use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private void writeMeta(CodeVersion v) throws IOException {
    Files.write(dir.resolve("meta").resolve(v.version() + ".json"), AgentJson.mapper().writeValueAsBytes(v));
  }

  private CodeVersion readMeta(String version) throws IOException {
    Path meta = dir.resolve("meta").resolve(version + ".json");
    if (!Files.isRegularFile(meta)) {
      return new CodeVersion(version, "unknown", "", 0, 0, "");
    }
    return AgentJson.mapper().readValue(meta.toFile(), CodeVersion.class);
  }

  private static int countFiles(Path tree) throws IOException {
    try (Stream<Path> s = Files.walk(tree)) {
      return (int) s.filter(Files::isRegularFile).count();
    }
  }

  private static void deleteContents(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      s.forEach(CodeVersions::deleteQuietly);
    }
  }

  static void deleteQuietly(Path p) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.deleteIfExists(x);
        } catch (IOException ignored) {
          // Best effort: a leftover is removed at the next start.
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // Same.
    }
  }
}
