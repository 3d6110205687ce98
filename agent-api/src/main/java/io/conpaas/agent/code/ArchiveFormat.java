package io.conpaas.agent.code;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The archive formats code can come in, recognised by their first bytes (never by file name). */
public enum ArchiveFormat {
  ZIP("zip"), TAR("tar"), TAR_GZ("tar.gz");

  private final String label;

  ArchiveFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The format of file, or an UploadRejected saying it is no archive at all. */
  public static ArchiveFormat detect(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(TarReader.BLOCK);
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return ZIP;
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 5 && head[3] == 6) {
      throw UploadRejected.archive("the zip archive is empty");
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return TAR_GZ;
    }
    if (head.length == TarReader.BLOCK && TarReader.checksumValid(head)) {
      return TAR;
    }
    throw UploadRejected.archive("not an archive: expected zip, tar or tar.gz (" + describe(head) + ")");
  }

  private static String describe(byte[] head) {
    if (head.length == 0) {
      return "the upload is empty";
    }
    StringBuilder hex = new StringBuilder("starts with");
    for (int i = 0; i < Math.min(4, head.length); i++) {
      hex.append(String.format(" %02x", head[i] & 0xff));
    }
    return hex.toString();
  }
}
