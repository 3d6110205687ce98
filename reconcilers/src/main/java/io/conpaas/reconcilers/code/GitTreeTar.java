package io.conpaas.reconcilers.code;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a commit's tree as a POSIX tar (what `git archive --format=tar` gave): regular files
 * 0644, executables 0755, symbolic links, long names as pax records, the commit's time on every
 * entry; submodules are left out (their code is not in this repository). The files together
 * may hold at most maxBytes (checked from the object sizes before anything is inflated).
 */
final class GitTreeTar {
  private static final int BLOCK = 512;
  private static final int MAX_LINK_BYTES = 4096;

  private GitTreeTar() {}

  /** Writes commit's tree to out; throws when the files hold more than maxBytes. */
  static void write(ObjectReader reader, ObjectId commitId, OutputStream out, long maxBytes) throws IOException {
    RevCommit commit;
    try (RevWalk rw = new RevWalk(reader)) {
      commit = rw.parseCommit(commitId);
    }
    long mtime = commit.getCommitTime();
    long total = 0;
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        FileMode mode = walk.getFileMode(0);
        String path = walk.getPathString();
        if (mode == FileMode.GITLINK) {
          continue;
        }
        ObjectLoader blob = reader.open(walk.getObjectId(0));
        total += blob.getSize();
        if (total > maxBytes) {
          throw new IOException("the code at commit " + commitId.name() + " holds more than the limit of "
              + maxBytes + " bytes");
        }
        if (mode == FileMode.SYMLINK) {
          if (blob.getSize() > MAX_LINK_BYTES) {
            throw new IOException("the symbolic link " + path + " has a target longer than " + MAX_LINK_BYTES);
          }
          String target = new String(blob.getBytes(), StandardCharsets.UTF_8);
          entry(out, path, '2', 0777, 0, mtime, target);
        } else {
          entry(out, path, '0', mode == FileMode.EXECUTABLE_FILE ? 0755 : 0644, blob.getSize(), mtime, "");
          blob.copyTo(out);
          pad(out, blob.getSize());
        }
      }
    }
    out.write(new byte[2 * BLOCK]);
  }

  private static void entry(OutputStream out, String name, char type, int mode, long size, long mtime, String link)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || linkBytes.length > 100) {
      StringBuilder pax = new StringBuilder();
      if (nameBytes.length > 100) {
        pax.append(record("path", name));
      }
      if (linkBytes.length > 100) {
        pax.append(record("linkpath", link));
      }
      byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
      out.write(header("PaxHeaders/entry", 'x', 0644, data.length, mtime, ""));
      out.write(data);
      pad(out, data.length);
    }
    out.write(header(name, type, mode, size, mtime, link));
  }

  /** A pax record "LEN key=value\n", LEN counting itself. */
  static String record(String key, String value) {
    int rest = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int len = rest + 1;
    while (String.valueOf(len).length() + rest != len) {
      len = String.valueOf(len).length() + rest;
    }
    return len + " " + key + "=" + value + "\n";
  }

  private static byte[] header(String name, char type, int mode, long size, long mtime, String link) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name);
    put(h, 100, 8, octal(mode, 7));
    put(h, 108, 8, octal(0, 7));
    put(h, 116, 8, octal(0, 7));
    put(h, 124, 12, octal(size, 11));
    put(h, 136, 12, octal(mtime, 11));
    h[156] = (byte) type;
    put(h, 157, 100, link);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 6, octal(sum, 6));
    h[154] = 0; // six digits, NUL, space: the classic checksum field
    return h;
  }

  /** Writes text's UTF-8 bytes at off, cut at len (long names go in the pax record before). */
  private static void put(byte[] h, int off, int len, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(len, b.length));
  }

  private static String octal(long value, int digits) {
    String s = Long.toOctalString(value);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) ((BLOCK - size % BLOCK) % BLOCK);
    if (rest > 0) {
      out.write(new byte[rest]);
    }
  }
}
