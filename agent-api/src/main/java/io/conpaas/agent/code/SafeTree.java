package io.conpaas.agent.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The staging directory an archive expands into, enforcing what an entry may do: stay inside the
 * tree (no absolute paths, no "..", no writing through a symlink), links only to places inside it,
 * and the size, entry-count and ratio caps. Files get 644 and directories 755 whatever the archive says.
 */
final class SafeTree {
  private final Path root;
  private final ArchiveLimits limits;
  private final long uploadBytes;
  private final List<Path> symlinks = new ArrayList<>();
  private long expandedBytes;
  private int entries;
  private int files;

  SafeTree(Path root, ArchiveLimits limits, long uploadBytes) throws IOException {
    this.root = Files.createDirectories(root).toRealPath();
    WorkerReadable.directory(this.root);
    this.limits = limits;
    this.uploadBytes = uploadBytes;
  }

  int files() {
    return files;
  }

  long expandedBytes() {
    return expandedBytes;
  }

  /** Creates the directory entry name. */
  void directory(String name) throws IOException {
    Path dir = resolve(name);
    if (dir == null) {
      return;
    }
    mkdirs(dir);
  }

  /** Writes the regular file entry name from data, counting its bytes against the caps. */
  void file(String name, InputStream data) throws IOException {
    Path file = resolveNonRoot(name);
    mkdirs(file.getParent());
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = data.read(buf)) > 0) {
        count(n);
        out.write(buf, 0, n);
      }
    } catch (FileAlreadyExistsException e) {
      throw UploadRejected.archive("entry " + name + " appears twice in the archive");
    }
    WorkerReadable.file(file);
    files++;
  }

  /** A symlink entry: allowed only when its target stays inside the tree (checked again in {@link #finish}). */
  void symlink(String name, String target) throws IOException {
    Path link = resolveNonRoot(name);
    if (target.isEmpty() || target.startsWith("/") || target.contains("\\") || target.contains("\0")) {
      throw UploadRejected.archive("symlink " + name + " points outside the archive (" + target + ")");
    }
    Path lexical = link.getParent().resolve(target).normalize();
    if (!lexical.startsWith(root)) {
      throw UploadRejected.archive("symlink " + name + " points outside the archive (" + target + ")");
    }
    mkdirs(link.getParent());
    try {
      Files.createSymbolicLink(link, Path.of(target));
    } catch (FileAlreadyExistsException e) {
      throw UploadRejected.archive("entry " + name + " appears twice in the archive");
    }
    symlinks.add(link);
  }

  /** A hardlink entry: its target must be a file already expanded from the archive; it becomes a copy. */
  void hardlink(String name, String target) throws IOException {
    Path source;
    try {
      source = resolveNonRoot(target);
    } catch (UploadRejected e) {
      throw UploadRejected.archive("hardlink " + name + " points outside the archive (" + target + ")");
    }
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw UploadRejected.archive("hardlink " + name + " points to " + target + ", which is not a file of the archive");
    }
    try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
      file(name, in);
    }
  }

  /**
   * Checks every symlink once all entries exist: it must resolve, and inside the tree (a chain of
   * in-tree links can still lead out, e.g. a -> . and b -> a/..).
   */
  void finish() throws IOException {
    for (Path link : symlinks) {
      String name = root.relativize(link).toString();
      Path real;
      try {
        real = link.toRealPath();
      } catch (IOException e) {
        throw UploadRejected.archive("symlink " + name + " points to nothing in the archive ("
            + Files.readSymbolicLink(link) + ")");
      }
      if (!real.startsWith(root)) {
        throw UploadRejected.archive("symlink " + name + " points outside the archive (" + Files.readSymbolicLink(link) + ")");
      }
    }
    if (files == 0) {
      throw UploadRejected.archive("the archive holds no files");
    }
  }

  private void count(long n) {
    expandedBytes += n;
    if (expandedBytes > limits.maxExpandedBytes()) {
      throw UploadRejected.archive("the archive expands to more than " + limits.maxExpandedBytes() + " bytes");
    }
    if (expandedBytes > ArchiveLimits.RATIO_FREE_BYTES && expandedBytes > (long) limits.maxRatio() * uploadBytes) {
      throw UploadRejected.archive("decompression bomb: the archive expands to more than " + limits.maxRatio()
          + " times its " + uploadBytes + " bytes");
    }
  }

  private Path resolveNonRoot(String name) {
    Path p = resolve(name);
    if (p == null) {
      throw UploadRejected.archive("entry \"" + name + "\" names the archive's root, not a file");
    }
    return p;
  }

  /** The path of entry name inside the tree, or null for the root itself; rejects escaping names. */
  private Path resolve(String name) {
    if (++entries > limits.maxEntries()) {
      throw UploadRejected.archive("the archive has more than " + limits.maxEntries() + " entries");
    }
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw UploadRejected.archive("an entry has an empty or invalid name");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw UploadRejected.archive("entry " + name + " has an absolute path");
    }
    if (name.contains("\\")) {
      throw UploadRejected.archive("entry " + name + " uses '\\' in its path");
    }
    Path p = root;
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw UploadRejected.archive("entry " + name + " has '..' in its path");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        p = p.resolve(part);
      }
    }
    return p.equals(root) ? null : p;
  }

  /** Creates dir and its parents, refusing to go through a symlink (it could lead out of the tree). */
  private void mkdirs(Path dir) throws IOException {
    Path p = root;
    for (Path part : root.relativize(dir)) {
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw UploadRejected.archive("entry " + root.relativize(dir) + " goes through the symlink " + root.relativize(p));
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
        WorkerReadable.directory(p);
      } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw UploadRejected.archive("entry " + root.relativize(dir) + " needs " + root.relativize(p)
            + " to be a directory, but it is a file");
      }
    }
  }
}
