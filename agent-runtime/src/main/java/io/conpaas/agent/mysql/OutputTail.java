package io.conpaas.agent.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a child's output on a thread of its own and keeps only its last bytes: the mariadb client
 * echoes a failing statement (possibly megabytes of a dump) before its one-line ERROR message.
 */
final class OutputTail {
  private final byte[] ring;
  private long total;
  private final Thread reader;

  private OutputTail(InputStream in, int capacity, String name) {
    this.ring = new byte[capacity];
    this.reader = new Thread(() -> pump(in), name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts draining in, keeping at most capacity bytes of the end. */
  static OutputTail of(InputStream in, int capacity, String name) {
    return new OutputTail(in, capacity, name);
  }

  private void pump(InputStream in) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (this) {
          for (int i = 0; i < n; i++) {
            ring[(int) (total++ % ring.length)] = buf[i];
          }
        }
      }
    } catch (IOException ignored) {
      // The process ended or was killed; what was read so far is what we report.
    }
  }

  /** The kept text once the stream ended (waits up to 5 s for the reader after the process exited). */
  String text() {
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      int kept = (int) Math.min(total, ring.length);
      byte[] out = new byte[kept];
      for (int i = 0; i < kept; i++) {
        out[i] = ring[(int) ((total - kept + i) % ring.length)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  /** The lines of the kept text that start with prefix (e.g. the client's "ERROR ..." lines). */
  List<String> linesStartingWith(String prefix) {
    List<String> found = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (line.startsWith(prefix)) {
        found.add(line.strip());
      }
    }
    return found;
  }
}
