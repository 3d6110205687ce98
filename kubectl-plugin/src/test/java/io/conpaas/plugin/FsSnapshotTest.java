package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The snapshot format: a round trip, and every kind of damage refused with a message saying what. */
class FsSnapshotTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode header() throws IOException {
    return (ObjectNode) JSON.readTree("{\"service\":\"fs\",\"spec\":{\"application\":\"app\",\"volumes\":"
        + "[{\"name\":\"shared\",\"quotaMb\":512},{\"name\":\"safe\",\"replication\":\"001\"}]}}");
  }

  private static byte[] snapshot(byte[]... files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FsSnapshot.Writer w = new FsSnapshot.Writer(out, header());
    w.directory("shared", "empty", 0750);
    for (int i = 0; i < files.length; i++) {
      w.file(i % 2 == 0 ? "shared" : "safe", "d/f-" + i + ".bin", 0644, "", files[i].length,
          new ByteArrayInputStream(files[i]));
    }
    w.finish();
    return out.toByteArray();
  }

  private static byte[] data(int seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void whatIsWrittenIsReadBackEntryByEntry() throws IOException {
    byte[] a = data(1, 70_000);
    byte[] b = data(2, 0);
    byte[] c = data(3, 5);
    byte[] file = snapshot(a, b, c);
    FsSnapshot.Reader r = new FsSnapshot.Reader(new ByteArrayInputStream(file), file.length);
    assertThat(r.header().path("spec").path("volumes").get(1).path("replication").asText()).isEqualTo("001");
    List<String> seen = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    FsSnapshot.Summary s = r.read((entry, content) -> {
      seen.add(entry.type() + " " + entry.volume() + "/" + entry.path() + " " + Integer.toOctalString(entry.mode()));
      if (entry.isFile()) {
        contents.add(content.readAllBytes());
      }
    });
    assertThat(seen).containsExactly("dir shared/empty 750", "file shared/d/f-0.bin 644", "file safe/d/f-1.bin 644",
        "file shared/d/f-2.bin 644");
    assertThat(contents).satisfiesExactly(x -> assertThat(x).isEqualTo(a), x -> assertThat(x).isEmpty(),
        x -> assertThat(x).isEqualTo(c));
    assertThat(s.files()).isEqualTo(3);
    assertThat(s.dirs()).isEqualTo(1);
    assertThat(s.bytes()).isEqualTo(70_005);
    // A visitor that reads nothing still gets the file checked.
    assertThat(FsSnapshot.verify(new ByteArrayInputStream(file), file.length)).isEqualTo(s);
  }

  @Test
  void aTruncatedFileIsRefusedWhereverItIsCut() throws IOException {
    byte[] file = snapshot(data(1, 3000), data(2, 40));
    for (int cut : new int[] {0, 10, 60, 200, 1500, file.length - 80, file.length - 1}) {
      byte[] part = Arrays.copyOf(file, cut);
      assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(part), file.length))
          .as("cut at %d", cut).isInstanceOf(FsSnapshot.Invalid.class);
    }
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(Arrays.copyOf(file, file.length - 1)),
        file.length)).hasMessageContaining("truncated");
  }

  @Test
  void anAlteredByteIsRefusedWithTheFileItBelongsTo() throws IOException {
    byte[] file = snapshot(data(1, 3000));
    String text = new String(file, StandardCharsets.ISO_8859_1);
    int inData = text.indexOf("f-0.bin") + 200;
    file[inData] ^= 1;
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(file), file.length))
        .isInstanceOf(FsSnapshot.Invalid.class).hasMessageContaining("shared/d/f-0.bin")
        .hasMessageContaining("do not match their checksum");
  }

  @Test
  void anAlteredHeaderIsRefusedByTheWholeFileChecksum() throws IOException {
    byte[] file = snapshot(data(1, 100));
    String text = new String(file, StandardCharsets.ISO_8859_1).replace("\"quotaMb\":512", "\"quotaMb\":999");
    byte[] altered = text.getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(altered), altered.length))
        .hasMessageContaining("the file was altered");
  }

  @Test
  void bytesAfterTheEndAreRefused() throws IOException {
    byte[] file = snapshot(data(1, 10));
    byte[] longer = Arrays.copyOf(file, file.length + 1);
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(longer), longer.length))
        .hasMessageContaining("after the end line");
  }

  @Test
  void notASnapshotAndOverTheSizeLimitAreRefused() throws IOException {
    byte[] zip = {'P', 'K', 3, 4, '\n'};
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(zip), 100))
        .hasMessageContaining("not an XtreemFS snapshot");
    byte[] file = snapshot(data(1, 5000));
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(file), 4000))
        .hasMessageContaining("limit of 4000 bytes");
  }

  @Test
  void pathsLeavingTheVolumeAndUnknownVolumesAreRefused() throws IOException {
    for (String bad : List.of("../etc/passwd", "/abs", "a//b", "a/./b", "")) {
      assertThatThrownBy(() -> FsSnapshot.checkPath(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    FsSnapshot.checkPath("a/b c/ü.txt");
    // A crafted file: a valid layout whose entry names a volume the spec lacks.
    String crafted = FsSnapshot.MAGIC + "\n" + JSON.writeValueAsString(header()) + "\n"
        + "{\"type\":\"dir\",\"volume\":\"other\",\"path\":\"x\",\"mode\":493,\"size\":0}\n";
    byte[] b = crafted.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(b), b.length))
        .hasMessageContaining("volume \"other\"");
    String traversal = FsSnapshot.MAGIC + "\n" + JSON.writeValueAsString(header()) + "\n"
        + "{\"type\":\"dir\",\"volume\":\"shared\",\"path\":\"../../x\",\"mode\":493,\"size\":0}\n";
    byte[] t = traversal.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FsSnapshot.verify(new ByteArrayInputStream(t), t.length))
        .hasMessageContaining("bad path");
  }

  @Test
  void aShortSourceStreamFailsTheWriter() throws IOException {
    FsSnapshot.Writer w = new FsSnapshot.Writer(new ByteArrayOutputStream(), header());
    assertThatThrownBy(() -> w.file("shared", "f", 0644, "", 10, new ByteArrayInputStream(new byte[4])))
        .hasMessageContaining("sent 4 of 10 bytes");
    FsSnapshot.Writer w2 = new FsSnapshot.Writer(new ByteArrayOutputStream(), header());
    assertThatThrownBy(() -> w2.file("shared", "f", 0644, "", 3, new ByteArrayInputStream(new byte[4])))
        .hasMessageContaining("more than the 3 bytes");
  }
}
