package io.conpaas.operator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Archives for upload tests: zips built in memory, tars with links crafted by Python's tarfile. */
public final class Archives {
  private Archives() {}

  /** A zip of the named files (names are written as given, so "../x" makes a traversal entry). */
  public static Path zip(Path file, Map<String, String> entries) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(buf)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return Files.write(file, buf.toByteArray());
  }

  /** A zip holding one entry of size zero bytes: a decompression bomb for any size over the caps. */
  public static Path zeroBomb(Path file, long size) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (long left = size; left > 0; left -= zeros.length) {
        zip.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
      zip.closeEntry();
    }
    return file;
  }

  /** A tar with index.php and one link entry (type "sym" or "hard") named name pointing at target. */
  public static Path tarWithLink(Path file, String type, String name, String target) throws IOException {
    String script = """
        import io, sys, tarfile
        with tarfile.open(sys.argv[1], "w") as t:
            data = b"<?php echo 'linked';"
            i = tarfile.TarInfo("index.php"); i.size = len(data); t.addfile(i, io.BytesIO(data))
            l = tarfile.TarInfo(sys.argv[3])
            l.type = tarfile.SYMTYPE if sys.argv[2] == "sym" else tarfile.LNKTYPE
            l.linkname = sys.argv[4]
            t.addfile(l)
        """;
    run("python3", "-c", script, file.toString(), type, name, target);
    return file;
  }

  /** Entries of a small PHP app, for readable test code. */
  public static Map<String, String> files(String... nameThenContent) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      m.put(nameThenContent[i], nameThenContent[i + 1]);
    }
    return m;
  }

  private static void run(String... cmd) throws IOException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd).substring(0, 20) + "... failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
