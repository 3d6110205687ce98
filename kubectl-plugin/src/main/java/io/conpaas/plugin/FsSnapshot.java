package io.conpaas.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The snapshot file of an XtreemFS service ({@code fs download-manifest}, read by {@code fs restore}):
 * a first line naming the format, a JSON header line (the service's spec: volumes with quota and
 * replication, policies, roles), then per volume entry a JSON line ({@code dir} or {@code file} with
 * volume, relative path, mode, size, mime) and for a file its bytes followed by a line with their
 * SHA-256, and last an {@code end} line with the counts and the SHA-256 of every byte before it. A
 * reader checks all of it while it streams (lines, sizes, paths, both checksums, nothing after the
 * end) and refuses the file at the first fault, so a truncated or altered file is never half-used.
 */
final class FsSnapshot {
  static final String MAGIC = "conpaas-xtreemfs-snapshot 1";
  /** Largest header line (the spec) and entry line. */
  static final int MAX_HEADER = 1 << 20;
  static final int MAX_LINE = 16 << 10;
  static final int MAX_PATH = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private FsSnapshot() {}

  /** One directory or file of a volume; path is relative to the volume's root. */
  record Entry(String type, String volume, String path, int mode, long size, String mime) {
    boolean isFile() {
      return "file".equals(type);
    }
  }

  /** What the end line says. */
  record Summary(long dirs, long files, long bytes, String sha256) {}

  /** A refused snapshot file: what is wrong, where. */
  static final class Invalid extends IOException {
    Invalid(String message) {
      super(message);
    }
  }

  /** Writes a snapshot to a stream; the caller closes the stream. */
  static final class Writer {
    private final DigestOutputStream out;
    private long dirs;
    private long files;
    private long bytes;
    private boolean finished;

    Writer(OutputStream target, ObjectNode header) throws IOException {
      this.out = new DigestOutputStream(target, sha256());
      out.write((MAGIC + "\n").getBytes(StandardCharsets.US_ASCII));
      line(header, MAX_HEADER);
    }

    void directory(String volume, String path, int mode) throws IOException {
      line(entry("dir", volume, path, mode, 0, ""), MAX_LINE);
      dirs++;
    }

    /** Copies exactly size bytes of data (fewer or more is an IOException: the file is then unusable). */
    void file(String volume, String path, int mode, String mime, long size, InputStream data) throws IOException {
      line(entry("file", volume, path, mode, size, mime), MAX_LINE);
      MessageDigest content = sha256();
      byte[] buf = new byte[64 << 10];
      long left = size;
      while (left > 0) {
        int n = data.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException(volume + "/" + path + ": the filer sent " + (size - left) + " of " + size + " bytes");
        }
        out.write(buf, 0, n);
        content.update(buf, 0, n);
        left -= n;
      }
      if (data.read() >= 0) {
        throw new IOException(volume + "/" + path + ": the filer sent more than the " + size + " bytes it listed");
      }
      out.write(("\n" + HexFormat.of().formatHex(content.digest()) + "\n").getBytes(StandardCharsets.US_ASCII));
      files++;
      bytes += size;
    }

    /** Writes the end line; returns what it says. */
    Summary finish() throws IOException {
      if (finished) {
        throw new IllegalStateException("finished already");
      }
      finished = true;
      String sum = HexFormat.of().formatHex(out.getMessageDigest().digest());
      ObjectNode end = JSON.createObjectNode().put("type", "end").put("dirs", dirs).put("files", files)
          .put("bytes", bytes).put("sha256", sum);
      out.on(false);
      out.write((JSON.writeValueAsString(end) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new Summary(dirs, files, bytes, sum);
    }

    private void line(JsonNode node, int max) throws IOException {
      byte[] b = (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
      if (b.length > max) {
        throw new IOException("a snapshot line has " + b.length + " bytes, more than " + max);
      }
      out.write(b);
    }

    private static ObjectNode entry(String type, String volume, String path, int mode, long size, String mime) {
      checkPath(path);
      return JSON.createObjectNode().put("type", type).put("volume", volume).put("path", path).put("mode", mode)
          .put("size", size).put("mime", mime == null ? "" : mime);
    }
  }

  /** Callback of {@link Reader#read}: one entry, with a file's bytes as a stream to be read to its end or not. */
  interface Visitor {
    void entry(Entry entry, InputStream content) throws IOException;
  }

  /** Reads and checks a snapshot. */
  static final class Reader {
    private final DigestInputStream in;
    private final long maxBytes;
    private final ObjectNode header;
    private final Set<String> volumes = new LinkedHashSet<>();
    private long offset;

    /** Reads the first two lines; Invalid when they are not a snapshot's. maxBytes caps the whole file. */
    Reader(InputStream source, long maxBytes) throws IOException {
      this.in = new DigestInputStream(new java.io.BufferedInputStream(source, 64 << 10), sha256());
      this.maxBytes = maxBytes;
      String magic = line(MAX_LINE);
      if (!MAGIC.equals(magic)) {
        throw new Invalid("not an XtreemFS snapshot (it does not start with \"" + MAGIC + "\")");
      }
      JsonNode h = json(line(MAX_HEADER));
      if (!(h instanceof ObjectNode o) || !h.path("spec").isObject()) {
        throw new Invalid("the header names no service spec");
      }
      header = o;
      for (JsonNode v : h.path("spec").path("volumes")) {
        volumes.add(v.path("name").asText());
      }
    }

    ObjectNode header() {
      return header;
    }

    /** Reads every entry, handing each to visitor, then checks the end; returns what the end line said. */
    Summary read(Visitor visitor) throws IOException {
      long dirs = 0;
      long files = 0;
      long bytes = 0;
      while (true) {
        // The digest of everything before the end line, taken before that line is read.
        MessageDigest before = cloneDigest();
        JsonNode e = json(line(MAX_LINE));
        String type = e.path("type").asText();
        if ("end".equals(type)) {
          String sum = HexFormat.of().formatHex(before.digest());
          Summary said = new Summary(e.path("dirs").asLong(-1), e.path("files").asLong(-1), e.path("bytes").asLong(-1),
              e.path("sha256").asText());
          if (!sum.equals(said.sha256())) {
            throw new Invalid("the checksum of the file (" + sum + ") differs from its end line's (" + said.sha256()
                + "): the file was altered");
          }
          if (said.dirs() != dirs || said.files() != files || said.bytes() != bytes) {
            throw new Invalid("the end line counts " + said.files() + " files, " + said.dirs() + " directories, "
                + said.bytes() + " bytes; the file holds " + files + ", " + dirs + ", " + bytes);
          }
          if (in.read() >= 0) {
            throw new Invalid("there are bytes after the end line");
          }
          return said;
        }
        Entry entry = entry(e, type);
        if (!entry.isFile()) {
          visitor.entry(entry, InputStream.nullInputStream());
          dirs++;
          continue;
        }
        if (offset + entry.size() > maxBytes) {
          throw new Invalid(entry.volume() + "/" + entry.path() + ": the file would exceed the limit of " + maxBytes
              + " bytes");
        }
        MessageDigest content = sha256();
        BoundedContent body = new BoundedContent(entry, content);
        visitor.entry(entry, body);
        body.skipRest();
        if (in.read() != '\n') {
          throw new Invalid(entry.volume() + "/" + entry.path() + ": no line break after its " + entry.size()
              + " bytes (truncated or altered)");
        }
        offset++;
        String want = line(MAX_LINE);
        if (!SHA256.matcher(want).matches()) {
          throw new Invalid(entry.volume() + "/" + entry.path() + ": no checksum line after its bytes");
        }
        if (!want.equals(HexFormat.of().formatHex(content.digest()))) {
          throw new Invalid(entry.volume() + "/" + entry.path() + ": its bytes do not match their checksum");
        }
        files++;
        bytes += entry.size();
      }
    }

    private Entry entry(JsonNode e, String type) throws Invalid {
      if (!"dir".equals(type) && !"file".equals(type)) {
        throw new Invalid("unknown entry type \"" + type + "\" at byte " + offset);
      }
      String volume = e.path("volume").asText();
      if (!volumes.contains(volume)) {
        throw new Invalid("an entry names volume \"" + volume + "\", which the header's spec does not list");
      }
      String path = e.path("path").asText();
      try {
        checkPath(path);
      } catch (IllegalArgumentException bad) {
        throw new Invalid(bad.getMessage());
      }
      long size = e.path("size").asLong(-1);
      int mode = e.path("mode").asInt(-1);
      if (size < 0 || ("dir".equals(type) && size != 0) || mode < 0 || mode > 07777) {
        throw new Invalid(volume + "/" + path + ": bad size or mode");
      }
      return new Entry(type, volume, path, mode, size, e.path("mime").asText(""));
    }

    private MessageDigest cloneDigest() {
      try {
        return (MessageDigest) in.getMessageDigest().clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    private JsonNode json(String line) throws Invalid {
      try {
        return JSON.readTree(line);
      } catch (IOException e) {
        throw new Invalid("a line at byte " + offset + " is not JSON (truncated or altered)");
      }
    }

    /** One line without its line break; Invalid at the end of the file or past max bytes. */
    private String line(int max) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new Invalid("the file ends at byte " + offset + " before its end line (truncated)");
        }
        offset++;
        if (offset > maxBytes) {
          throw new Invalid("the file exceeds the limit of " + maxBytes + " bytes");
        }
        if (c == '\n') {
          return b.toString(StandardCharsets.UTF_8);
        }
        if (b.size() >= max) {
          throw new Invalid("a line at byte " + offset + " is longer than " + max + " bytes");
        }
        b.write(c);
      }
    }

    /** Exactly one entry's bytes of the underlying stream, digested as they go. */
    private final class BoundedContent extends InputStream {
      private final Entry entry;
      private final MessageDigest digest;
      private long left;

      BoundedContent(Entry entry, MessageDigest digest) {
        this.entry = entry;
        this.digest = digest;
        this.left = entry.size();
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new Invalid(entry.volume() + "/" + entry.path() + ": the file ends inside its bytes (truncated)");
        }
        digest.update(b, off, n);
        left -= n;
        offset += n;
        return n;
      }

      void skipRest() throws IOException {
        byte[] buf = new byte[64 << 10];
        while (read(buf, 0, buf.length) >= 0) {
          // drained
        }
      }
    }
  }

  /** Reads all of a snapshot, checking it; Invalid at the first fault. */
  static Summary verify(InputStream in, long maxBytes) throws IOException {
    return new Reader(in, maxBytes).read((entry, content) -> { });
  }

  /** A relative path of clean segments (no empty, . or .. segment, no NUL), at most {@value #MAX_PATH} chars. */
  static void checkPath(String path) {
    if (path == null || path.isEmpty() || path.length() > MAX_PATH || path.startsWith("/") || path.indexOf('\0') >= 0
        || path.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("bad path in snapshot: \"" + String.valueOf(path).replace("\n", "\\n") + "\"");
    }
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new IllegalArgumentException("bad path in snapshot: \"" + path + "\" (empty, . or .. segment)");
      }
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
