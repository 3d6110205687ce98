package io.conpaas.agent.code;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Expands a zip, tar or tar.gz file into a {@link SafeTree}, mapping format errors to rejections. */
final class ArchiveExpander {
  private ArchiveExpander() {}

  /** Expands archive (already known to be of format) into tree; UploadRejected names what is wrong. */
  static void expand(Path archive, ArchiveFormat format, SafeTree tree) throws IOException {
    switch (format) {
      case ZIP -> expandZip(archive, tree);
      case TAR -> {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024)) {
          expandTar(in, tree);
        }
      }
      case TAR_GZ -> {
        try (InputStream in = gunzip(archive)) {
          expandTar(in, tree);
        } catch (ZipException e) {
          throw UploadRejected.archive("corrupted gzip stream: " + e.getMessage());
        }
      }
    }
    tree.finish();
  }

  private static InputStream gunzip(Path archive) throws IOException {
    try {
      return new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 64 * 1024), 64 * 1024);
    } catch (ZipException | java.io.EOFException e) {
      throw UploadRejected.archive("corrupted gzip stream: " + e.getMessage());
    }
  }

  private static void expandZip(Path archive, SafeTree tree) throws IOException {
    // ZipFile reads the central directory, the index unzip tools trust too. Zip "symlinks" (a
    // Unix mode in the external attributes) are not exposed by java.util.zip and expand as plain
    // files holding the target's name, so they cannot point anywhere.
    ZipFile zip;
    try {
      zip = new ZipFile(archive.toFile());
    } catch (ZipException e) {
      throw UploadRejected.archive("corrupted zip archive: " + e.getMessage());
    }
    try (zip) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) {
          tree.directory(e.getName());
        } else {
          try (InputStream in = zip.getInputStream(e)) {
            tree.file(e.getName(), in);
          }
        }
      }
    } catch (ZipException e) {
      throw UploadRejected.archive("corrupted zip archive: " + e.getMessage());
    }
  }

  private static void expandTar(InputStream in, SafeTree tree) throws IOException {
    TarReader tar = new TarReader(in);
    for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
      if (e.isFile()) {
        tree.file(e.name(), tar.content());
      } else {
        switch (e.type()) {
          case '5' -> tree.directory(e.name());
          case '2' -> tree.symlink(e.name(), e.linkName());
          case '1' -> tree.hardlink(e.name(), e.linkName());
          case '3', '4' -> throw UploadRejected.archive("entry " + e.name() + " is a device file");
          case '6' -> throw UploadRejected.archive("entry " + e.name() + " is a named pipe");
          default -> throw UploadRejected.archive("entry " + e.name() + " has the unsupported tar type '" + e.type() + "'");
        }
      }
    }
  }
}
