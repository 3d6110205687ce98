package io.conpaas.agent.api;

import java.io.IOException;
import java.io.InputStream;

/** What HTTP handlers that take uploads share: reading away the rest of a body they refused. */
public final class RequestBodies {
  /** How much of a refused body is read away before the connection is given up (32 MiB). */
  public static final long DRAIN_LIMIT = 32L << 20;

  private RequestBodies() {}

  /**
   * Reads and drops what is left of a refused upload, at most limit bytes, so that the client,
   * still sending, gets the answer instead of a connection reset.
   */
  public static void drain(InputStream body, long limit) {
    try {
      byte[] buf = new byte[64 * 1024];
      long left = limit;
      int n;
      while (left > 0 && (n = body.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException ignored) {
      // The client went away; nothing to answer anyway.
    }
  }
}
