package io.conpaas.agent.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip, tar and tar.gz archives in memory for tests, including hostile ones no tool would make. */
public final class TestArchives {
  private TestArchives() {}

  /** A zip; call {@link Zip#file} for each entry, then {@link Zip#bytes}. */
  public static Zip zip() {
    return new Zip();
  }

  /** A ustar tar; call its entry methods, then {@link Tar#bytes} or {@link Tar#gzipped}. */
  public static Tar tar() {
    return new Tar();
  }

  /** Zip builder. */
  public static final class Zip {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ZipOutputStream zip = new ZipOutputStream(out);

    public Zip file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Zip file(String name, byte[] content) {
      try {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** An entry of size zero bytes (a bomb: it compresses about 1000 to 1). */
    public Zip zeros(String name, long size) {
      try {
        zip.putNextEntry(new ZipEntry(name));
        byte[] chunk = new byte[1 << 20];
        for (long left = size; left > 0; left -= chunk.length) {
          zip.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        zip.closeEntry();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public Zip directory(String name) {
      try {
        zip.putNextEntry(new ZipEntry(name.endsWith("/") ? name : name + "/"));
        zip.closeEntry();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public byte[] bytes() {
      try {
        zip.close();
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Tar builder writing ustar headers by hand (any name, type and link target). */
  public static final class Tar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Tar file(String name, String content) {
      return entry(name, '0', "", content.getBytes(StandardCharsets.UTF_8));
    }

    public Tar directory(String name) {
      return entry(name, '5', "", new byte[0]);
    }

    public Tar symlink(String name, String target) {
      return entry(name, '2', target, new byte[0]);
    }

    public Tar hardlink(String name, String target) {
      return entry(name, '1', target, new byte[0]);
    }

    /** An entry with a pax "path" header, for names longer than ustar allows. */
    public Tar paxFile(String name, String content) {
      String record = " path=" + name + "\n";
      int len = record.length() + 1;
      while (Integer.toString(len).length() + record.length() != len) {
        len = Integer.toString(len).length() + record.length();
      }
      entry("PaxHeaders/x", 'x', "", (len + record).getBytes(StandardCharsets.UTF_8));
      return entry("short-name", '0', "", content.getBytes(StandardCharsets.UTF_8));
    }

    /** Any entry, e.g. type '3' (character device). */
    public Tar entry(String name, char type, String link, byte[] content) {
      byte[] h = new byte[512];
      put(h, 0, 100, name);
      put(h, 100, 8, String.format("%07o", type == '5' ? 0755 : 0644));
      put(h, 108, 8, "0000000");
      put(h, 116, 8, "0000000");
      put(h, 124, 12, String.format("%011o", content.length));
      put(h, 136, 12, String.format("%011o", 1_700_000_000L));
      h[156] = (byte) type;
      put(h, 157, 100, link);
      put(h, 257, 6, "ustar");
      put(h, 263, 2, "00");
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, 8, String.format("%06o", sum) + "\0 ");
      out.writeBytes(h);
      out.writeBytes(content);
      out.writeBytes(new byte[(512 - content.length % 512) % 512]);
      return this;
    }

    public byte[] bytes() {
      out.writeBytes(new byte[1024]);
      return out.toByteArray();
    }

    public byte[] gzipped() {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
        g.write(bytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return gz.toByteArray();
    }

    private static void put(byte[] h, int off, int len, String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }
  }
}
