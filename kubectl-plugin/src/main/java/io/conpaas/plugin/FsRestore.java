package io.conpaas.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code fs restore}: ConPaaS's manifest operation (manual 2.9.3). The whole snapshot file is checked
 * first (format, paths, every checksum, the end line); a file that fails creates nothing. Then a new
 * XtreemFsService with the snapshot's spec (volumes with their quota and replication, policies, roles)
 * is created, and once RUNNING every directory and file goes back through its filer; each file is read
 * back and compared. The annotation {@value #STATE} says Restoring, Restored, or Failed with the reason
 * (a service left Failed is incomplete: delete it and restore again).
 */
final class FsRestore {
  static final String STATE = "conpaas.io/restore";
  static final String SOURCE = "conpaas.io/restored-from";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServiceLocator locator;
  private final ServiceKind kind;
  private final Consumer<String> say;
  private final Duration timeout;
  private final long maxBytes;

  FsRestore(ServiceLocator locator, ServiceKind kind, Consumer<String> say, Duration timeout, long maxBytes) {
    this.locator = locator;
    this.kind = kind;
    this.say = say;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  void run(String namespace, String name, Path file, String application) throws IOException, InterruptedException {
    if (!Files.isRegularFile(file)) {
      throw new CliException(file + " is not a file");
    }
    FsSnapshot.Summary summary;
    ObjectNode header;
    try (InputStream in = Files.newInputStream(file)) {
      FsSnapshot.Reader reader = new FsSnapshot.Reader(in, maxBytes);
      header = reader.header();
      summary = reader.read((entry, content) -> { });
    } catch (FsSnapshot.Invalid e) {
      throw new CliException(file + " cannot be restored: " + e.getMessage() + "; nothing was created");
    }
    if (locator.resource(kind, namespace, name).get() != null) {
      throw new CliException(kind.ref(name) + " exists already; restore makes a new service: name another");
    }
    ObjectNode spec = (ObjectNode) header.get("spec");
    spec.remove(java.util.List.of("stopped", "readOnly"));
    if (application != null) {
      spec.put("application", application);
    }
    GenericKubernetesResource service = new GenericKubernetesResource();
    service.setApiVersion("conpaas.io/v1alpha1");
    service.setKind(kind.kind());
    service.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .withAnnotations(Map.of(STATE, "Restoring", SOURCE, file.getFileName() + " sha256:" + summary.sha256()))
        .build());
    service.setAdditionalProperty("spec", JSON.convertValue(spec, Map.class));
    try {
      locator.resource(kind, namespace, name).create(service);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new CliException("restore needs permission to create " + kind.resource() + " in namespace "
            + namespace + "; nothing was created");
      }
      throw e;
    }
    say.accept(kind.ref(name) + " created from " + file + " (" + summary.files() + " files, " + summary.dirs()
        + " directories, " + summary.bytes() + " bytes); waiting until it is RUNNING");
    try {
      String filer = awaitFiler(namespace, name);
      long t0 = System.nanoTime();
      copy(file, filer);
      mark(namespace, name, "Restored");
      say.accept(kind.ref(name) + " restored: " + summary.files() + " files (" + summary.bytes()
          + " bytes) written and read back in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    } catch (IOException | RuntimeException e) {
      String why = e instanceof CliException ? e.getMessage() : ErrorMessages.oneLine(String.valueOf(e.getMessage()));
      try {
        mark(namespace, name, "Failed: " + (why.length() > 900 ? why.substring(0, 900) : why));
      } catch (RuntimeException ignored) {
        // the error below says what matters
      }
      throw new CliException("restore of " + kind.ref(name) + " failed: " + why + "; the service is incomplete "
          + "(annotation " + STATE + "): delete it and restore again");
    }
  }

  /** The filer's HTTP endpoint once the new service is RUNNING; CliException on ERROR or timeout. */
  private String awaitFiler(String namespace, String name) throws InterruptedException {
    return Polling.until(timeout, () -> {
      GenericKubernetesResource o = locator.resource(kind, namespace, name).get();
      if (o == null) {
        throw new CliException(kind.ref(name) + " was deleted meanwhile");
      }
      ServiceObject s = new ServiceObject(kind, o);
      if ("ERROR".equals(s.state())) {
        throw new CliException(kind.ref(name) + " is in ERROR: " + o.get("status", "message"));
      }
      return "RUNNING".equals(s.state()) ? Optional.ofNullable(FsCommand.endpoint(s, "filer")) : Optional.empty();
    }, () -> new CliException(kind.ref(name) + " was not RUNNING within " + Durations.format(timeout)));
  }

  /** Second pass over the (already verified) file: directories and files into the filer, each file read back. */
  private void copy(Path file, String filer) throws IOException {
    try (InputStream in = Files.newInputStream(file); FilerFiles files = new FilerFiles(filer)) {
      new FsSnapshot.Reader(in, maxBytes).read((entry, content) -> {
        String target = "/buckets/" + entry.volume() + "/" + entry.path();
        if (!entry.isFile()) {
          files.mkdir(target, entry.mode());
          return;
        }
        MessageDigest sent = FsSnapshot.sha256();
        files.put(target, entry.mode(), entry.mime(), new DigestInputStream(content, sent), entry.size());
        MessageDigest back = FsSnapshot.sha256();
        try (InputStream got = new DigestInputStream(files.open(target), back)) {
          long n = got.transferTo(java.io.OutputStream.nullOutputStream());
          if (n != entry.size()) {
            throw new IOException(target + ": read back " + n + " bytes, wrote " + entry.size());
          }
        }
        if (!MessageDigest.isEqual(sent.digest(), back.digest())) {
          throw new IOException(target + ": the bytes read back differ from the ones written");
        }
      });
    }
  }

  private void mark(String namespace, String name, String state) {
    locator.resource(kind, namespace, name).edit(o -> {
      o.getMetadata().getAnnotations().put(STATE, state);
      return o;
    });
  }
}
