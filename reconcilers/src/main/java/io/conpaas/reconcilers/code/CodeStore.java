package io.conpaas.reconcilers.code;

import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.code.CodeVersion;
import io.conpaas.agent.code.CodeVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The operator's durable store of web services' code versions (ConPaaS kept them on the
 * manager): under {@code root/<namespace>/<kind>/<service>/} one {@link CodeVersions} that checks
 * every archive exactly as the agents do (traversal, links, size and bomb caps) and keeps the
 * archive as uploaded, which the Agent reconciler forwards to each web and backend agent.
 * Everything is on disk, so a restarted operator loses no version.
 */
public final class CodeStore implements CodeArchives {
  /** What the origin file of a version says for uploads. */
  public static final String UPLOADED = "upload";

  private final Path root;
  private final ArchiveLimits limits;
  private final Map<Path, CodeVersions> open = new ConcurrentHashMap<>();

  public CodeStore(Path root, ArchiveLimits limits) {
    this.root = root;
    this.limits = limits;
  }

  /** The archive formats a kind takes: PHP code as zip, tar or tar.gz; Java code as a war (zip). */
  public static Set<ArchiveFormat> formats(String kind) {
    return switch (kind) {
      case "PhpService" -> Set.of(ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.TAR_GZ);
      case "JavaService" -> Set.of(ArchiveFormat.ZIP);
      default -> throw new IllegalArgumentException(kind + " takes no code");
    };
  }

  public ArchiveLimits limits() {
    return limits;
  }

  /**
   * Checks and stores body as version (streamed, never held in memory). Throws {@code
   * UploadRejected} naming the problem; nothing of a rejected archive stays.
   */
  public CodeVersion store(ServiceCode service, String version, InputStream body, long declaredLength,
      String origin) {
    CodeVersion v = versions(service).upload(version, body, declaredLength);
    try {
      Path originFile = dir(service).resolve("origin").resolve(version);
      Files.createDirectories(originFile.getParent());
      Files.writeString(originFile, origin, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the origin of " + version, e);
    }
    return v;
  }

  /** Stored versions, oldest first (empty when the service has none). */
  public List<StoredVersion> list(ServiceCode service) {
    if (!Files.isDirectory(dir(service))) {
      return List.of();
    }
    return versions(service).list().stream()
        .map(v -> new StoredVersion(v, origin(service, v.version()))).toList();
  }

  @Override
  public Optional<Path> archive(ServiceCode service, String version) {
    if (!Files.isDirectory(dir(service))) {
      return Optional.empty();
    }
    Path archive = versions(service).archive(version);
    return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
  }

  /** Forgets every version of a service (after it was deleted). */
  public void delete(ServiceCode service) {
    Path dir = dir(service);
    open.remove(dir);
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the code of " + service, e);
    }
  }

  private String origin(ServiceCode service, String version) {
    Path f = dir(service).resolve("origin").resolve(version);
    try {
      return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : UPLOADED;
    } catch (IOException e) {
      return UPLOADED;
    }
  }

  private CodeVersions versions(ServiceCode service) {
    Path dir = dir(service);
    return open.computeIfAbsent(dir, d -> new CodeVersions(d, formats(service.kind()), limits, true));
  }

  private Path dir(ServiceCode service) {
    // Names are DNS labels/subdomains checked by the API server: safe as path segments.
    return root.resolve(service.namespace()).resolve(service.kind()).resolve(service.name());
  }
}
