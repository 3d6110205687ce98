package io.conpaas.agent.code;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming reader of ustar, GNU and pax tar archives (the JDK has none). It yields entries
 * with their final names (GNU long names and pax paths applied); the caller validates them.
 */
final class TarReader {
  static final int BLOCK = 512;
  /** Longest GNU long-name or pax header we read into memory. */
  private static final int MAX_META_BYTES = 64 * 1024;

  /** One entry: name, type flag, data size and link target ("" when none). */
  record Entry(String name, char type, long size, String linkName) {
    boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private final InputStream in;
  private long remaining;
  private long padding;
  private boolean first = true;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** True when block is a tar header with a correct checksum. */
  static boolean checksumValid(byte[] block) {
    long stored;
    try {
      stored = parseOctal(block, 148, 8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
    }
    return sum == stored && sum != 8 * ' ';
  }

  /** The next entry, or null at the end of the archive. */
  Entry next() throws IOException {
    skipRest();
    String longName = null;
    String longLink = null;
    String paxPath = null;
    String paxLink = null;
    Long paxSize = null;
    while (true) {
      byte[] header = readBlock();
      if (header == null || isZero(header)) {
        if (first) {
          throw UploadRejected.archive("not a tar archive: it has no entries");
        }
        return null;
      }
      if (!checksumValid(header)) {
        throw UploadRejected.archive(first ? "not a tar archive (bad header checksum)"
            : "corrupted tar archive: a header has a bad checksum");
      }
      first = false;
      char type = (char) header[156];
      long size = entrySize(header);
      if (size < 0) {
        throw UploadRejected.archive("corrupted tar archive: negative entry size");
      }
      remaining = size;
      padding = (BLOCK - size % BLOCK) % BLOCK;
      switch (type) {
        case 'L' -> longName = readMeta(size);
        case 'K' -> longLink = readMeta(size);
        case 'x' -> {
          for (String record : paxRecords(readMeta(size))) {
            int eq = record.indexOf('=');
            String key = record.substring(0, eq);
            String value = record.substring(eq + 1);
            switch (key) {
              case "path" -> paxPath = value;
              case "linkpath" -> paxLink = value;
              case "size" -> paxSize = parsePaxSize(value);
              default -> { }
            }
          }
        }
        case 'g' -> readMeta(size);
        default -> {
          String name = paxPath != null ? paxPath : longName != null ? longName : headerName(header);
          String link = paxLink != null ? paxLink : longLink != null ? longLink : string(header, 157, 100);
          if (paxSize != null) {
            remaining = paxSize;
            padding = (BLOCK - paxSize % BLOCK) % BLOCK;
          }
          return new Entry(name, type, remaining, link);
        }
      }
    }
  }

  /** The current entry's data; reading past it answers end of stream. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw UploadRejected.archive("truncated tar archive: an entry's data ends early");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private void skipFully(long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw UploadRejected.archive("truncated tar archive: an entry's data ends early");
      }
      n -= r;
    }
  }

  private String readMeta(long size) throws IOException {
    if (size > MAX_META_BYTES) {
      throw UploadRejected.archive("tar archive has a long-name or pax header of " + size + " bytes (limit "
          + MAX_META_BYTES + ")");
    }
    byte[] data = content().readNBytes((int) size);
    if (data.length < size) {
      throw UploadRejected.archive("truncated tar archive: an entry's data ends early");
    }
    skipRest();
    int end = data.length;
    while (end > 0 && data[end - 1] == 0) {
      end--;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  private byte[] readBlock() throws IOException {
    byte[] block = in.readNBytes(BLOCK);
    if (block.length == 0) {
      return null;
    }
    if (block.length < BLOCK) {
      throw UploadRejected.archive(first ? "not a tar archive (shorter than one header)"
          : "truncated tar archive: a header ends early");
    }
    return block;
  }

  private static long entrySize(byte[] header) {
    try {
      return (header[124] & 0x80) != 0 ? parseBase256(header) : parseOctal(header, 124, 12);
    } catch (IllegalArgumentException e) {
      throw UploadRejected.archive("corrupted tar archive: entry size is not a number");
    }
  }

  private static String headerName(byte[] header) {
    String name = string(header, 0, 100);
    // POSIX ustar ("ustar\0") splits long names into prefix/name; GNU ("ustar  ") uses those bytes otherwise.
    boolean posix = header[257] == 'u' && header[258] == 's' && header[262] == 0;
    String prefix = posix ? string(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static Iterable<String> paxRecords(String text) {
    java.util.List<String> records = new java.util.ArrayList<>();
    int pos = 0;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    while (pos < bytes.length) {
      int space = indexOf(bytes, (byte) ' ', pos);
      if (space < 0) {
        throw UploadRejected.archive("corrupted tar archive: malformed pax header");
      }
      int len;
      try {
        len = Integer.parseInt(new String(bytes, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (RuntimeException e) {
        throw UploadRejected.archive("corrupted tar archive: malformed pax header");
      }
      if (len <= space - pos + 2 || pos + len > bytes.length || bytes[pos + len - 1] != '\n') {
        throw UploadRejected.archive("corrupted tar archive: malformed pax header");
      }
      String record = new String(bytes, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
      if (record.indexOf('=') < 0) {
        throw UploadRejected.archive("corrupted tar archive: malformed pax header");
      }
      records.add(record);
      pos += len;
    }
    return records;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static long parsePaxSize(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw UploadRejected.archive("corrupted tar archive: pax size " + value + " is not a number");
    }
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long parseOctal(byte[] b, int off, int len) {
    String s = string(b, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not octal: " + s);
    }
  }

  private static long parseBase256(byte[] header) {
    // GNU binary size: big-endian after the marker bit; anything past 2^62 is a bomb anyway.
    long v = header[124] & 0x7f;
    for (int i = 125; i < 136; i++) {
      if (v > (Long.MAX_VALUE >> 8)) {
        return Long.MAX_VALUE;
      }
      v = (v << 8) | (header[i] & 0xff);
    }
    return v;
  }

  private static boolean isZero(byte[] block) {
    byte[] zero = new byte[BLOCK];
    return Arrays.equals(block, zero);
  }
}
