package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.code.UploadRejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CodeStore: the operator's durable, checked store of uploaded code versions. */
class CodeStoreTest {
  private static final ServiceCode PHP = new ServiceCode("shop", "PhpService", "site");
  private static final ServiceCode JAVA = new ServiceCode("shop", "JavaService", "webapp");

  @TempDir
  Path root;

  private CodeStore store() {
    return new CodeStore(root, ArchiveLimits.defaults());
  }

  private static byte[] zip(String... nameThenContent) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(buf)) {
      for (int i = 0; i < nameThenContent.length; i += 2) {
        zip.putNextEntry(new ZipEntry(nameThenContent[i]));
        zip.write(nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return buf.toByteArray();
  }

  /** A plain ustar archive of regular files. */
  static byte[] tar(String... nameThenContent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      byte[] data = nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8);
      byte[] h = new byte[512];
      put(h, 0, nameThenContent[i]);
      put(h, 100, "0000644");
      put(h, 108, "0000000");
      put(h, 116, "0000000");
      put(h, 124, String.format("%011o", data.length));
      put(h, 136, String.format("%011o", 1_700_000_000L));
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      Arrays.fill(h, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      out.writeBytes(h);
      out.writeBytes(data);
      out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }

  private static void store(CodeStore store, ServiceCode service, String version, byte[] archive) {
    store.store(service, version, new ByteArrayInputStream(archive), archive.length, CodeStore.UPLOADED);
  }

  private static List<String> versions(CodeStore store, ServiceCode service) {
    return store.list(service).stream().map(StoredVersion::name).toList();
  }

  /** Every path under the store, relative to it. */
  private List<String> tree() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).toList();
    }
  }

  @Test
  void aStoredZipIsListedAsAnUploadAndItsArchiveIsKeptAsSent() throws IOException {
    CodeStore store = store();
    byte[] v1 = zip("index.php", "<?php echo 'v1';", "static.txt", "plain");

    store(store, PHP, "v1", v1);

    List<StoredVersion> listed = store.list(PHP);
    assertThat(listed).hasSize(1);
    StoredVersion v = listed.get(0);
    assertThat(v.name()).isEqualTo("v1");
    assertThat(v.origin()).isEqualTo("upload");
    assertThat(v.version().format()).isEqualTo("zip");
    assertThat(v.version().bytes()).isEqualTo(v1.length);
    assertThat(v.version().files()).isEqualTo(2);
    assertThat(v.version().sha256()).hasSize(64);
    assertThat(store.archive(PHP, "v1")).hasValueSatisfying(p -> {
      try {
        assertThat(Files.readAllBytes(p)).isEqualTo(v1);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(store.archive(PHP, "v2")).isEmpty();
  }

  @Test
  void theOriginOfAVersionIsKept() throws IOException {
    CodeStore store = store();
    byte[] v1 = zip("index.php", "x");
    store.store(PHP, "v1", new ByteArrayInputStream(v1), -1, "https://example.org/site.zip");

    assertThat(store.list(PHP)).extracting(StoredVersion::origin).containsExactly("https://example.org/site.zip");
  }

  @Test
  void aServiceWithoutCodeHasNoVersionsAndNoArchives() {
    CodeStore store = store();

    assertThat(store.list(PHP)).isEmpty();
    assertThat(store.archive(PHP, "v1")).isEmpty();
    assertThat(Files.exists(root.resolve("shop"))).isFalse();
  }

  @Test
  void versionsAreListedOldestFirstAndKeptPerService() throws Exception {
    CodeStore store = store();
    store(store, PHP, "v1", zip("index.php", "1"));
    Thread.sleep(5);
    store(store, PHP, "a2", zip("index.php", "2"));
    store(store, JAVA, "v1", zip("index.html", "java"));

    assertThat(versions(store, PHP)).containsExactly("v1", "a2");
    assertThat(versions(store, JAVA)).containsExactly("v1");
    assertThat(versions(store, new ServiceCode("other", "PhpService", "site"))).isEmpty();
  }

  @Test
  void aVersionStoredTwiceIsRefusedAndTheFirstStays() throws IOException {
    CodeStore store = store();
    byte[] first = zip("index.php", "first");
    store(store, PHP, "v1", first);

    assertThatThrownBy(() -> store(store, PHP, "v1", zip("index.php", "second")))
        .isInstanceOf(UploadRejected.class)
        .hasMessageContaining("already exists")
        .satisfies(e -> assertThat(((UploadRejected) e).status()).isEqualTo(409));

    assertThat(versions(store, PHP)).containsExactly("v1");
    assertThat(Files.readAllBytes(store.archive(PHP, "v1").orElseThrow())).isEqualTo(first);
  }

  @Test
  void rejectedArchivesLeaveNothingBehind() throws IOException {
    CodeStore store = store();
    store(store, PHP, "v1", zip("index.php", "ok"));
    Map<String, byte[]> hostile = new LinkedHashMap<>();
    hostile.put("evil1", zip("../escape.php", "<?php echo 1;"));
    hostile.put("evil2", "just some text, not an archive".getBytes(StandardCharsets.UTF_8));
    hostile.put("evil3", new byte[0]);

    Map<String, String> messages = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
      assertThatThrownBy(() -> store(store, PHP, e.getKey(), e.getValue()))
          .isInstanceOf(UploadRejected.class)
          .satisfies(x -> messages.put(e.getKey(), x.getMessage()))
          .satisfies(x -> assertThat(((UploadRejected) x).status()).isEqualTo(422));
    }

    assertThat(messages.get("evil1")).contains("..");
    assertThat(messages.get("evil2")).contains("not an archive");
    assertThat(messages.get("evil3")).contains("empty");
    assertThat(versions(store, PHP)).containsExactly("v1");
    assertThat(tree()).isNotEmpty().noneMatch(p -> p.contains("evil") || p.contains("escape"));
    for (String v : hostile.keySet()) {
      assertThat(store.archive(PHP, v)).isEmpty();
    }
    // No half-received upload or half-expanded tree stays either.
    Path dir = root.resolve("shop/PhpService/site");
    try (Stream<Path> uploads = Files.list(dir.resolve("uploads"));
        Stream<Path> staging = Files.list(dir.resolve("staging"))) {
      assertThat(uploads).isEmpty();
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void aRejectedFirstUploadLeavesNoVersionEither() throws IOException {
    CodeStore store = store();

    assertThatThrownBy(() -> store(store, PHP, "evil", zip("../../escape.php", "x")))
        .isInstanceOf(UploadRejected.class);

    assertThat(store.list(PHP)).isEmpty();
    assertThat(tree()).noneMatch(p -> p.contains("evil") || p.contains("escape"));
  }

  @Test
  void aJavaServiceTakesAWarButNotATar() throws IOException {
    assertThat(CodeStore.formats("JavaService")).containsExactly(ArchiveFormat.ZIP);
    assertThat(CodeStore.formats("PhpService"))
        .containsExactlyInAnyOrder(ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.TAR_GZ);
    assertThatThrownBy(() -> CodeStore.formats("HelloWorldService")).isInstanceOf(IllegalArgumentException.class);
    CodeStore store = store();
    byte[] tar = tar("index.jsp", "<%= 1 %>");

    assertThatThrownBy(() -> store(store, JAVA, "t1", tar))
        .isInstanceOf(UploadRejected.class)
        .hasMessageContaining("a tar archive is not accepted here")
        .hasMessageContaining("expected a war (zip) archive");
    assertThat(store.list(JAVA)).isEmpty();
    assertThat(tree()).noneMatch(p -> p.contains("t1"));

    // The same tar is fine as PHP code (so the refusal above is about the kind, not the tar).
    store(store, PHP, "t1", tar);
    assertThat(versions(store, PHP)).containsExactly("t1");
    store(store, JAVA, "w1", zip("WEB-INF/web.xml", "<web-app/>", "index.html", "hi"));
    assertThat(versions(store, JAVA)).containsExactly("w1");
  }

  @Test
  void anInvalidVersionNameIsRefused() {
    CodeStore store = store();

    assertThatThrownBy(() -> store(store, PHP, "../v1", zip("index.php", "x")))
        .isInstanceOf(UploadRejected.class)
        .satisfies(e -> assertThat(((UploadRejected) e).status()).isEqualTo(400));
    assertThat(store.list(PHP)).isEmpty();
  }

  @Test
  void aNewStoreOnTheSameDirectoryListsTheSameVersions() throws IOException {
    CodeStore before = store();
    byte[] v1 = zip("index.php", "1");
    byte[] v2 = zip("index.php", "2");
    store(before, PHP, "v1", v1);
    store(before, PHP, "v2", v2);
    store(before, JAVA, "w1", zip("index.html", "w"));
    List<StoredVersion> listed = before.list(PHP);

    CodeStore after = new CodeStore(root, ArchiveLimits.defaults());

    assertThat(after.list(PHP)).isEqualTo(listed);
    assertThat(versions(after, JAVA)).containsExactly("w1");
    assertThat(Files.readAllBytes(after.archive(PHP, "v2").orElseThrow())).isEqualTo(v2);
    // And it still refuses to replace what the old one stored.
    assertThatThrownBy(() -> store(after, PHP, "v1", v2)).isInstanceOf(UploadRejected.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void deleteRemovesTheServicesDirectoryOnly() throws IOException {
    CodeStore store = store();
    store(store, PHP, "v1", zip("index.php", "1"));
    store(store, JAVA, "w1", zip("index.html", "w"));
    Path phpDir = root.resolve("shop").resolve("PhpService").resolve("site");
    assertThat(phpDir).isDirectory();

    store.delete(PHP);

    assertThat(phpDir).doesNotExist();
    assertThat(store.list(PHP)).isEmpty();
    assertThat(store.archive(PHP, "v1")).isEmpty();
    assertThat(versions(store, JAVA)).containsExactly("w1");
    // Deleting again (or a service that never had code) is fine, and a new upload starts afresh.
    store.delete(PHP);
    store.delete(new ServiceCode("shop", "PhpService", "never"));
    store(store, PHP, "v1", zip("index.php", "again"));
    assertThat(versions(store, PHP)).containsExactly("v1");
  }

  @Test
  void uploadsOverTheLimitAreRefused() throws IOException {
    CodeStore store = new CodeStore(root, new ArchiveLimits(64, 1 << 20, 100, 100));
    byte[] big = zip("index.php", "x".repeat(500), "b.php", "y".repeat(500));

    assertThatThrownBy(() -> store(store, PHP, "big", big)).isInstanceOf(UploadRejected.class)
        .satisfies(e -> assertThat(((UploadRejected) e).status()).isEqualTo(413));
    assertThatThrownBy(() -> store.store(PHP, "big", new ByteArrayInputStream(big), -1, CodeStore.UPLOADED))
        .isInstanceOf(UploadRejected.class)
        .satisfies(e -> assertThat(((UploadRejected) e).status()).isEqualTo(413));
    assertThat(store.list(PHP)).isEmpty();
    assertThat(tree()).noneMatch(p -> p.contains("big"));
    assertThat(Set.copyOf(versions(store, PHP))).isEmpty();
  }
}
