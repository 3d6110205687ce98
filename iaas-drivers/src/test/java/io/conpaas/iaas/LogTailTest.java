package io.conpaas.iaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VM log's last lines cost at most LogTail.MAX_BYTES to read, whatever the log's size. */
class LogTailTest {
  @TempDir
  Path dir;

  @Test
  void aShortLogGivesItsLastLines() throws Exception {
    Path log = Files.writeString(dir.resolve("short.log"), "one\ntwo\nthree\n");

    assertThat(LogTail.lastLines(log, 2)).containsExactly("three", "");
    assertThat(LogTail.lastLines(log, 10)).containsExactly("one", "two", "three", "");
  }

  @Test
  void aHugeLogIsReadOnlyAtItsEndAndNoLineIsCutInHalf() throws Exception {
    Path log = dir.resolve("huge.log");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    Files.writeString(log, text);

    List<String> all = LogTail.lastLines(log, Integer.MAX_VALUE);

    assertThat(all.stream().mapToInt(l -> l.length() + 1).sum()).isLessThanOrEqualTo(LogTail.MAX_BYTES);
    assertThat(all).allMatch(l -> l.isEmpty() || l.matches("line \\d+"));
    assertThat(all.get(all.size() - 2)).isEqualTo("line 199999");
  }
}
