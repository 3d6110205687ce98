package io.conpaas.agent.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Code versions: upload, list, activate, and every hostile or broken upload rejected with nothing written. */
class CodeVersionsTest {
  private static final ArchiveLimits LIMITS = new ArchiveLimits(4L << 20, 8L << 20, 50, 100);
  private static final Set<ArchiveFormat> PHP = Set.of(ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.TAR_GZ);

  @TempDir
  Path dir;
  private CodeVersions code;

  @BeforeEach
  void createWithActiveV1() {
    code = new CodeVersions(dir.resolve("code"), PHP, LIMITS);
    code.upload("v1", in(TestArchives.zip().file("index.php", "<?php echo 'v1';").bytes()), -1);
    code.activate("v1");
  }

  private static ByteArrayInputStream in(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  @Test
  void uploadsListsAndActivatesAtomically() throws IOException {
    CodeVersion v2 = code.upload("v2", in(TestArchives.tar().directory("css").file("css/site.css", "body{}")
        .file("index.php", "<?php echo 'v2';").gzipped()), -1);

    assertThat(v2.format()).isEqualTo("tar.gz");
    assertThat(v2.files()).isEqualTo(2);
    assertThat(v2.sha256()).hasSize(64);
    assertThat(code.list()).extracting(CodeVersion::version).containsExactly("v1", "v2");
    assertThat(code.active()).contains("v1");

    code.activate("v2");
    assertThat(Files.readString(code.current().resolve("index.php"))).contains("v2");
    assertThat(Files.isSymbolicLink(code.current())).isTrue();
    code.activate("v1");
    assertThat(Files.readString(code.current().resolve("index.php"))).contains("v1");
  }

  @Test
  void expandedFilesAreWorldReadableAndNeverExecutable() throws IOException {
    code.upload("v2", in(TestArchives.tar().entry("run.sh", '0', "", "echo".getBytes(StandardCharsets.UTF_8))
        .bytes()), -1);

    assertThat(Files.getPosixFilePermissions(code.tree("v2").resolve("run.sh")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void inTreeLinksPaxNamesAndTarAreAccepted() throws IOException {
    String longName = "a/" + "b".repeat(120) + "/index.html";
    code.upload("v2", in(TestArchives.tar().file("lib/real.php", "<?php")
        .symlink("alias.php", "lib/real.php").symlink("lib/up.php", "../alias.php")
        .hardlink("copy.php", "lib/real.php").paxFile(longName, "long").bytes()), -1);

    Path tree = code.tree("v2");
    assertThat(Files.readString(tree.resolve("alias.php"))).isEqualTo("<?php");
    assertThat(Files.readString(tree.resolve("lib/up.php"))).isEqualTo("<?php");
    assertThat(Files.isSymbolicLink(tree.resolve("copy.php"))).isFalse();
    assertThat(Files.readString(tree.resolve(longName))).isEqualTo("long");
  }

  @Test
  void activatingAnUnknownVersionIs404AndKeepsTheActiveOne() {
    assertThatThrownBy(() -> code.activate("v9")).isInstanceOf(UploadRejected.class)
        .hasMessageContaining("v9 has not been uploaded")
        .extracting(e -> ((UploadRejected) e).status()).isEqualTo(404);
    assertThat(code.active()).contains("v1");
  }

  @Test
  void versionsAreImmutableAndNamesPlain() {
    assertThatThrownBy(() -> code.upload("v1", in(TestArchives.zip().file("a", "b").bytes()), -1))
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> code.upload("../v3", in(TestArchives.zip().file("a", "b").bytes()), -1))
        .hasMessageContaining("invalid version name");
  }

  @Test
  void warOnlyRoleRejectsATarNamingTheProblem() {
    CodeVersions java = new CodeVersions(dir.resolve("java"), Set.of(ArchiveFormat.ZIP), LIMITS);

    assertThatThrownBy(() -> java.upload("w1", in(TestArchives.tar().file("index.jsp", "x").bytes()), -1))
        .hasMessageContaining("a tar archive is not accepted here; expected a war (zip) archive");
    assertThatThrownBy(() -> java.upload("w1", in("PK but not really".getBytes(StandardCharsets.UTF_8)), -1))
        .hasMessageContaining("not an archive");
    assertThat(java.list()).isEmpty();
  }

  static Stream<Arguments> hostileUploads() {
    byte[] random = new byte[3 << 20];
    new Random(7).nextBytes(random);
    byte[] truncatedZip = TestArchives.zip().file("index.php", "x".repeat(5000)).bytes();
    byte[] truncatedTar = TestArchives.tar().file("index.php", "y".repeat(5000)).bytes();
    TestArchives.Zip manyFiles = TestArchives.zip();
    for (int i = 0; i < 60; i++) {
      manyFiles.file("f" + i + ".txt", "x");
    }
    return Stream.of(
        Arguments.of("zip with ..", TestArchives.zip().file("../evil.php", "x").bytes(), 422, "'..' in its path"),
        Arguments.of("zip with nested ..", TestArchives.zip().file("a/../../evil.php", "x").bytes(), 422, "'..'"),
        Arguments.of("zip absolute path", TestArchives.zip().file("/etc/cron.d/evil", "x").bytes(), 422,
            "absolute path"),
        Arguments.of("zip drive letter", TestArchives.zip().file("C:/evil", "x").bytes(), 422, "absolute path"),
        Arguments.of("zip backslashes", TestArchives.zip().file("..\\evil", "x").bytes(), 422, "'\\'"),
        Arguments.of("tar with ..", TestArchives.tar().file("ok.php", "x").file("../../evil", "x").bytes(), 422,
            "'..' in its path"),
        Arguments.of("tar absolute path", TestArchives.tar().file("/tmp/evil", "x").bytes(), 422, "absolute path"),
        Arguments.of("symlink to absolute path", TestArchives.tar().symlink("passwd", "/etc/passwd").bytes(), 422,
            "symlink passwd points outside the archive (/etc/passwd)"),
        Arguments.of("symlink up out of the tree", TestArchives.tar().file("a", "x").symlink("up", "../../etc").bytes(),
            422, "symlink up points outside the archive"),
        Arguments.of("symlink chain out of the tree",
            TestArchives.tar().file("i", "x").symlink("self", ".").symlink("escape", "self/..").bytes(), 422,
            "symlink escape points outside the archive"),
        Arguments.of("dangling symlink", TestArchives.tar().file("i", "x").symlink("gone", "missing.php").bytes(),
            422, "points to nothing"),
        Arguments.of("write through a symlink",
            TestArchives.tar().directory("sub").symlink("d", "sub").file("d/x.php", "x").bytes(), 422,
            "goes through the symlink d"),
        Arguments.of("hardlink to absolute path", TestArchives.tar().hardlink("h", "/etc/shadow").bytes(), 422,
            "hardlink h points outside the archive (/etc/shadow)"),
        Arguments.of("hardlink up out of the tree", TestArchives.tar().file("a", "x").hardlink("h", "../x").bytes(),
            422, "hardlink h points outside the archive"),
        Arguments.of("device file", TestArchives.tar().entry("dev", '3', "", new byte[0]).bytes(), 422,
            "dev is a device file"),
        Arguments.of("duplicate entry", TestArchives.tar().file("a.php", "1").file("a.php", "2").bytes(), 422,
            "appears twice"),
        Arguments.of("zip bomb", TestArchives.zip().zeros("zeros.txt", 60L << 20).bytes(), 422,
            "decompression bomb"),
        Arguments.of("tar.gz bomb", bombTarGz(), 422, "decompression bomb"),
        Arguments.of("expands beyond the cap", expandsTo(3, random), 422, "expands to more than"),
        Arguments.of("too many entries", manyFiles.bytes(), 422, "more than 50 entries"),
        Arguments.of("upload over the size cap", TestArchives.zip().file("big.bin", random).file("big2.bin",
            reversed(random)).bytes(), 413, "exceeds the limit"),
        Arguments.of("not an archive", "<?php echo 'hi';".getBytes(StandardCharsets.UTF_8), 422, "not an archive"),
        Arguments.of("empty upload", new byte[0], 422, "the upload is empty"),
        Arguments.of("empty zip", TestArchives.zip().bytes(), 422, "empty"),
        Arguments.of("truncated zip", java.util.Arrays.copyOf(truncatedZip, truncatedZip.length / 2), 422,
            "corrupted zip archive"),
        Arguments.of("truncated tar", java.util.Arrays.copyOf(truncatedTar, 1024), 422, "truncated tar archive"),
        Arguments.of("gzip of garbage", gzip("garbage".getBytes(StandardCharsets.UTF_8)), 422,
            "not a tar archive"),
        Arguments.of("corrupted gzip", java.util.Arrays.copyOf(TestArchives.tar().file("a", "b".repeat(9000))
            .gzipped(), 40), 422, "corrupted"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileUploads")
  void hostileOrBrokenUploadIsRejectedAndNothingIsWritten(String what, byte[] archive, int status, String message)
      throws IOException {
    List<CodeVersion> before = code.list();

    assertThatThrownBy(() -> code.upload("v2", in(archive), -1)).isInstanceOf(UploadRejected.class)
        .hasMessageContaining(message)
        .extracting(e -> ((UploadRejected) e).status()).isEqualTo(status);

    assertThat(code.list()).isEqualTo(before);
    assertThat(code.active()).contains("v1");
    assertThat(Files.exists(code.tree("v2"))).isFalse();
    assertThat(listing(dir.resolve("code/uploads"))).isEmpty();
    assertThat(listing(dir.resolve("code/staging"))).isEmpty();
    assertThat(Files.exists(dir.resolve("passwd"))).isFalse();
    assertThat(Files.exists(dir.resolve("evil.php"))).isFalse();
  }

  @Test
  void declaredLengthOverTheCapIsRefusedBeforeReading() {
    assertThatThrownBy(() -> code.upload("v2", in(new byte[0]), 5L << 20))
        .hasMessageContaining("exceeds the limit").extracting(e -> ((UploadRejected) e).status()).isEqualTo(413);
  }

  private static List<Path> listing(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }

  private static byte[] bombTarGz() {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(gz)) {
      byte[] header = TestArchives.tar().entry("zeros", '0', "", new byte[0]).bytes();
      // A header announcing 40 MiB followed by that many zeros: tar accepts it, the ratio check must not.
      byte[] h = java.util.Arrays.copyOf(header, 512);
      String size = String.format("%011o", 40L << 20);
      System.arraycopy(size.getBytes(StandardCharsets.US_ASCII), 0, h, 124, 11);
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      System.arraycopy((String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII), 0, h, 148, 8);
      g.write(h);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 41; i++) {
        g.write(zeros);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return gz.toByteArray();
  }

  private static byte[] expandsTo(int copies, byte[] random) {
    // Incompressible data, so the ratio is ~1 and only the expanded-size cap (8 MiB) can stop it:
    // a tar of 3 MiB holding hardlinks copies it to 9 MiB.
    TestArchives.Tar tar = TestArchives.tar().entry("r0", '0', "", java.util.Arrays.copyOf(random, 3 << 20));
    for (int i = 1; i < copies; i++) {
      tar.hardlink("r" + i, "r0");
    }
    return tar.bytes();
  }

  private static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private static byte[] gzip(byte[] data) {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(gz)) {
      g.write(data);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return gz.toByteArray();
  }
}
