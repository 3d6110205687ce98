package io.conpaas.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code fs download-manifest}: ConPaaS's download_manifest (manual 2.9.3). The service's volumes are
 * made read-only first (spec.readOnly, a patch the caller must be allowed to make: Kubernetes decides);
 * once the dir agent reports the filer applied it, every volume's directories and files are streamed
 * from the filer into FILE.partial with checksums ({@link FsSnapshot}); the file is synced, read back
 * and verified, renamed to FILE, and only then is the service stopped (spec.stopped: its VMs and
 * their data go). Any failure before that deletes the partial file, makes the volumes writable again
 * and leaves the service running.
 */
final class FsDownload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final ServicePatcher patcher;
  private final Consumer<String> say;
  private final Consumer<String> warn;
  private final Duration timeout;
  private final long maxBytes;

  FsDownload(KubernetesClient client, ServicePatcher patcher, Consumer<String> say, Consumer<String> warn,
      Duration timeout, long maxBytes) {
    this.client = client;
    this.patcher = patcher;
    this.say = say;
    this.warn = warn;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  void run(ServiceObject s, Path file) throws IOException, InterruptedException {
    if (s.stopped()) {
      throw new CliException(s.ref() + " is stopped: its VMs, and the data they held, are gone already; nothing "
          + "to download");
    }
    if (Files.exists(file)) {
      throw new CliException(file + " exists; a snapshot never overwrites a file: name another");
    }
    String filer = FsCommand.endpoint(s, "filer");
    if (filer == null) {
      throw new CliException(s.ref() + " has no filer running (state " + s.state() + "): nothing was changed");
    }
    patch(s, "{\"spec\":{\"readOnly\":true}}");
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    boolean done = false;
    try {
      say.accept(s.ref() + ": volumes read-only (spec.readOnly=true); waiting for the filer to apply it");
      awaitReadOnly(s);
      long t0 = System.nanoTime();
      FsSnapshot.Summary wrote = write(s, filer, partial);
      FsSnapshot.Summary read;
      try (InputStream in = Files.newInputStream(partial)) {
        read = FsSnapshot.verify(in, Long.MAX_VALUE);
      }
      if (!read.equals(wrote)) {
        throw new IOException("the file read back (" + read + ") differs from what was written (" + wrote + ")");
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      say.accept("wrote " + file + ": " + wrote.files() + " files, " + wrote.dirs() + " directories, " + wrote.bytes()
          + " bytes of data in " + (System.nanoTime() - t0) / 1_000_000 + " ms, sha256 " + wrote.sha256()
          + " (verified)");
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      try {
        patch(s, "{\"spec\":{\"readOnly\":null}}");
      } catch (RuntimeException again) {
        warn.accept("could not make the volumes writable again (kubectl patch ... spec.readOnly=null): "
            + ErrorMessages.oneLine(String.valueOf(again.getMessage())));
      }
      String why = e instanceof CliException ? e.getMessage() : ErrorMessages.oneLine(String.valueOf(e.getMessage()));
      throw new CliException("snapshot of " + s.ref() + " failed: " + why + "; no file was written, the service was "
          + "NOT stopped and its volumes are writable again");
    } finally {
      if (!done) {
        Files.deleteIfExists(partial);
      }
    }
    patch(s, "{\"spec\":{\"stopped\":true,\"readOnly\":null}}");
    say.accept(s.ref() + " stopping (spec.stopped=true): its VMs are released; `kubectl conpaas fs restore NEW "
        + file + "` brings its volumes and files back in a new service");
  }

  private void patch(ServiceObject s, String patch) {
    try {
      patcher.mergePatch(s, patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new CliException(s.ref() + ": download-manifest needs permission to update it (it makes the volumes "
            + "read-only, then stops the service); nothing was changed");
      }
      throw e;
    }
  }

  /** Until the dir agent reports its filer refuses writes. */
  private void awaitReadOnly(ServiceObject s) throws InterruptedException {
    Polling.until(timeout, () -> {
      List<Agent> dirs = client.resources(Agent.class).inNamespace(s.namespace())
          .withLabel(ApiConstants.LABEL_SERVICE, s.name()).withLabel(ApiConstants.LABEL_ROLE, "dir").list().getItems();
      // The read-only config pushed (the Agent reconciled its current generation) and the filer applied it: a
      // fact left from an earlier attempt cannot pass for this one.
      return dirs.stream().filter(a -> a.getStatus() != null && a.getStatus().getFacts() != null
          && "true".equals(a.getSpec().getConfig().get("readOnly"))
          && a.getMetadata().getGeneration() != null
          && a.getMetadata().getGeneration().equals(a.getStatus().getObservedGeneration())
          && "true".equals(a.getStatus().getFacts().get("readOnly"))).findFirst().map(a -> Boolean.TRUE);
    }, () -> new CliException("the dir agent did not report read-only volumes within " + Durations.format(timeout)));
  }

  private FsSnapshot.Summary write(ServiceObject s, String filer, Path partial) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.put("service", s.name()).put("namespace", s.namespace()).put("createdAt", Instant.now().toString());
    ObjectNode spec = JSON.valueToTree(s.object().getAdditionalProperties().get("spec"));
    spec.remove(List.of("stopped", "readOnly"));
    header.set("spec", spec);
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        FilerFiles files = new FilerFiles(filer)) {
      FsSnapshot.Writer w = new FsSnapshot.Writer(out, header);
      long[] bytes = {0};
      for (Map.Entry<String, String> v : volumes(spec)) {
        walk(files, w, v.getKey(), v.getValue(), "", bytes);
      }
      FsSnapshot.Summary summary = w.finish();
      out.flush();
      ch.force(true);
      return summary;
    }
  }

  private static List<Map.Entry<String, String>> volumes(ObjectNode spec) {
    return java.util.stream.StreamSupport.stream(spec.path("volumes").spliterator(), false)
        .map(v -> v.path("name").asText())
        .map(n -> Map.entry(n, "/buckets/" + n)).toList();
  }

  /** Depth first, names sorted: dir's entries (relative path rel) into the snapshot. */
  private void walk(FilerFiles files, FsSnapshot.Writer w, String volume, String dir, String rel, long[] bytes)
      throws IOException {
    List<FilerFiles.Item> items = files.list(dir).stream().sorted(Comparator.comparing(FilerFiles.Item::name))
        .toList();
    for (FilerFiles.Item item : items) {
      String path = rel.isEmpty() ? item.name() : rel + "/" + item.name();
      if (item.symlink()) {
        warn.accept(volume + "/" + path + " is a symbolic link: not in the snapshot");
      } else if (item.directory()) {
        w.directory(volume, path, item.mode());
        walk(files, w, volume, dir + "/" + item.name(), path, bytes);
      } else {
        bytes[0] += item.size();
        if (bytes[0] > maxBytes) {
          throw new IOException("the volumes hold more than --max-bytes " + maxBytes + " bytes");
        }
        try (InputStream in = files.open(dir + "/" + item.name())) {
          w.file(volume, path, item.mode(), item.mime(), item.size(), in);
        }
      }
    }
  }
}
