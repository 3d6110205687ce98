package io.conpaas.iaas;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of a VM's log, reading at most the file's last bytes: what an agent or a guest
 * writes there is not ours to bound, so a log of any size costs the operator the same.
 */
public final class LogTail {
  /** How much of a log's end is read. */
  public static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  /** Up to n last lines (of the last {@link #MAX_BYTES} bytes); IOException when the file cannot be read. */
  public static List<String> lastLines(Path log, int n) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      f.seek(length - size);
      f.readFully(bytes);
      List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1)));
      if (size < length && !lines.isEmpty()) {
        lines.remove(0); // cut in the middle of a line
      }
      return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
  }
}
