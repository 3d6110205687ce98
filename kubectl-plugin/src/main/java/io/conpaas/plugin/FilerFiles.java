package io.conpaas.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Files of a SeaweedFS filer through its HTTP API (what {@code weed mount} and {@code fs mount-command}
 * reach too), every call bounded: connect and answer time limits, listings read up to a cap, and a
 * stream whose bytes stop flowing for {@link #STALL_SECONDS} is cut.
 */
final class FilerFiles implements AutoCloseable {
  static final int STALL_SECONDS = 30;
  private static final int PAGE = 1000;
  private static final int MAX_LISTING = 16 << 20;
  private static final long ANSWER_SECONDS = 60;
  private static final int GO_MODE_DIR = 1 << 31;
  private static final int GO_MODE_SYMLINK = 1 << 27;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One directory entry; mode holds the permission bits only. */
  record Item(String name, boolean directory, boolean symlink, int mode, long size, String mime) {}

  private final String base;
  private final HttpClient http;
  private final ScheduledExecutorService guard = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "filer-stall-guard");
    t.setDaemon(true);
    return t;
  });

  FilerFiles(String filerUrl) {
    this.base = filerUrl.endsWith("/") ? filerUrl.substring(0, filerUrl.length() - 1) : filerUrl;
    this.http = HttpClientUtils.getHttpClientFactory().newBuilder().connectTimeout(10, TimeUnit.SECONDS)
        .preferHttp11().build();
  }

  /** Every entry of directory dir (an absolute filer path), all pages. */
  List<Item> list(String dir) throws IOException {
    List<Item> items = new ArrayList<>();
    String last = "";
    while (true) {
      HttpResponse<InputStream> r = send(http.newHttpRequestBuilder().uri(uri(dir + "/", "limit=" + PAGE
          + (last.isEmpty() ? "" : "&lastFileName=" + URLEncoder.encode(last, StandardCharsets.UTF_8))))
          .header("Accept", "application/json").timeout(ANSWER_SECONDS, TimeUnit.SECONDS).build());
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_LISTING + 1);
      }
      if (body.length > MAX_LISTING) {
        throw new IOException("listing " + dir + ": the filer's answer exceeds " + MAX_LISTING + " bytes");
      }
      check(r.code(), 200, "list " + dir, body);
      JsonNode page = JSON.readTree(body);
      int n = 0;
      for (JsonNode e : page.path("Entries")) {
        String full = e.path("FullPath").asText();
        long goMode = e.path("Mode").asLong();
        items.add(new Item(full.substring(full.lastIndexOf('/') + 1), (goMode & (GO_MODE_DIR & 0xffffffffL)) != 0,
            (goMode & GO_MODE_SYMLINK) != 0, (int) (goMode & 0777), e.path("FileSize").asLong(),
            e.path("Mime").asText("")));
        n++;
      }
      if (n < PAGE || !page.path("ShouldDisplayLoadMore").asBoolean(false)) {
        return items;
      }
      last = items.get(items.size() - 1).name();
    }
  }

  /** The bytes of file path; the caller closes the stream (a stalled stream is cut). */
  InputStream open(String path) throws IOException {
    HttpResponse<InputStream> r = send(http.newHttpRequestBuilder().uri(uri(path, ""))
        .timeout(ANSWER_SECONDS, TimeUnit.SECONDS).build());
    if (r.code() != 200) {
      try (InputStream in = r.body()) {
        check(r.code(), 200, "read " + path, in.readNBytes(4096));
      }
    }
    return new StallGuarded(r.body());
  }

  /** Writes file path (overwriting) with size bytes of data and permission bits mode. */
  void put(String path, int mode, String mime, InputStream data, long size) throws IOException {
    // Time to send the body counts until the answer: a floor plus 4 s per MiB (256 KiB/s at worst).
    long seconds = ANSWER_SECONDS + size / (256 << 10);
    HttpResponse<InputStream> r = send(http.newHttpRequestBuilder()
        .uri(uri(path, "mode=" + Integer.toOctalString(mode)))
        .put(mime == null || mime.isBlank() ? "application/octet-stream" : mime, data, size)
        .timeout(seconds, TimeUnit.SECONDS).build());
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(4096);
      if (r.code() != 200 && r.code() != 201) {
        check(r.code(), 201, "write " + path, body);
      }
    }
  }

  /** Creates directory path with permission bits mode (the filer creates missing parents itself). */
  void mkdir(String path, int mode) throws IOException {
    HttpResponse<InputStream> r = send(http.newHttpRequestBuilder()
        .uri(uri(path + "/", "mode=" + Integer.toOctalString(mode)))
        .method("POST", null, InputStream.nullInputStream(), 0L).timeout(ANSWER_SECONDS, TimeUnit.SECONDS).build());
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(4096);
      if (r.code() != 200 && r.code() != 201 && r.code() != 409) {
        check(r.code(), 201, "mkdir " + path, body);
      }
    }
  }

  @Override
  public void close() {
    guard.shutdownNow();
    http.close();
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
    try {
      return http.sendAsync(request, InputStream.class).get(ANSWER_SECONDS + 5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("cannot reach the filer at " + request.uri().getHost() + ":" + request.uri().getPort()
          + ": " + ErrorMessages.oneLine(cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
              : ": " + cause.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private static void check(int code, int wanted, String what, byte[] body) throws IOException {
    if (code != wanted) {
      throw new IOException(what + ": the filer answered " + code + ": "
          + ErrorMessages.oneLine(new String(body, 0, Math.min(body.length, 1024), StandardCharsets.UTF_8)));
    }
  }

  private URI uri(String path, String query) {
    StringBuilder b = new StringBuilder(base);
    for (String seg : path.split("/", -1)) {
      if (!seg.isEmpty()) {
        b.append('/').append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    if (path.endsWith("/")) {
      b.append('/');
    }
    return URI.create(b + (query.isEmpty() ? "" : "?" + query));
  }

  /** A response body that is closed when no byte arrived for {@link #STALL_SECONDS}. */
  private final class StallGuarded extends FilterInputStream {
    private volatile long progress;
    private long seen = -1;
    private final ScheduledFuture<?> check;

    StallGuarded(InputStream in) {
      super(in);
      check = guard.scheduleAtFixedRate(this::checkProgress, STALL_SECONDS, STALL_SECONDS, TimeUnit.SECONDS);
    }

    private void checkProgress() {
      if (progress == seen) {
        try {
          in.close();
        } catch (IOException e) {
          // closing is all that is wanted
        }
        check.cancel(false);
      }
      seen = progress;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      progress++;
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      progress++;
      return n;
    }

    @Override
    public void close() throws IOException {
      check.cancel(false);
      super.close();
    }
  }
}
