package io.conpaas.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Set;
import java.util.UUID;

/**
 * File operations of an agent running as root that a path the worker user controls cannot
 * redirect: root writes only into trusted directories (every component of the real path owned
 * by root or the agent, not writable by group or others unless sticky), never follows a
 * symbolic link when it opens, replaces or reads, and gives the worker single directories, not trees.
 */
public final class SafeFiles {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  private static final int GROUP_OR_OTHER_WRITE = 0022;
  private static final int STICKY = 01000;
  private static final int AGENT_UID = ownUid();

  private SafeFiles() {}

  private static int ownUid() {
    try {
      // /proc/self belongs to the effective uid of the process that looks at it.
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
  }

  /** Whether the agent runs as root, i.e. whether a worker user could try to make it write for them. */
  public static boolean agentIsRoot() {
    return AGENT_UID == 0;
  }

  /**
   * The real path of dir after checking that only root or the agent can change what it names:
   * each directory from "/" down is owned by one of them and not writable by group or others
   * (a sticky directory such as /tmp is accepted above dir, not as dir). A non-root agent runs its
   * servers as itself, so there is no one to protect against and only the real path is returned.
   */
  public static Path trustedDirectory(Path dir) {
    try {
      Path real = dir.toRealPath();
      if (!Files.isDirectory(real, NOFOLLOW)) {
        throw new IllegalStateException(dir + " is not a directory");
      }
      if (!agentIsRoot()) {
        return real;
      }
      for (Path p = real; p != null; p = p.getParent()) {
        int uid = (Integer) Files.getAttribute(p, "unix:uid", NOFOLLOW);
        int mode = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
        if (uid != 0 && uid != AGENT_UID) {
          // A deterministic setup error (a work dir under someone's home): the agent exits with
          // EX_CONFIG and the operator reports it instead of retrying on new VMs.
          throw new UnusableSetupException("refusing to write below " + dir + ": " + p + " belongs to uid " + uid
              + ", not to root");
        }
        boolean sharedWritable = (mode & GROUP_OR_OTHER_WRITE) != 0;
        if (sharedWritable && (p.equals(real) || (mode & STICKY) == 0)) {
          throw new UnusableSetupException("refusing to write below " + dir + ": " + p
              + " is writable by group or others");
        }
      }
      return real;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + dir, e);
    }
  }

  /** Creates dir if missing and returns it, checked as {@link #trustedDirectory}. */
  public static Path createTrustedDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return trustedDirectory(dir);
  }

  /**
   * Makes dir a directory of the agent with mode (e.g. rwxr-xr-x) in a trusted parent: created
   * when missing, taken back (owner and mode, not its contents) when an older layout gave it to
   * the worker user. A symbolic link in its place is removed first.
   */
  public static Path agentDirectory(Path dir, String mode) {
    Path parent = createTrustedDirectory(dir.toAbsolutePath().getParent());
    Path real = parent.resolve(dir.getFileName());
    try {
      removeIfNotDirectory(real);
      if (!Files.exists(real, NOFOLLOW)) {
        Files.createDirectory(real);
      }
      PosixFileAttributeView view = Files.getFileAttributeView(real, PosixFileAttributeView.class, NOFOLLOW);
      if ((Integer) Files.getAttribute(real, "unix:uid", NOFOLLOW) != AGENT_UID) {
        UserPrincipalLookupService lookup = real.getFileSystem().getUserPrincipalLookupService();
        view.setOwner(lookup.lookupPrincipalByName(System.getProperty("user.name")));
        // The parent's group: it is trusted, and the agent's own directories share it.
        view.setGroup(Files.readAttributes(parent, PosixFileAttributes.class, NOFOLLOW).group());
      }
      // The entry is in a trusted directory and is a directory: nobody else can swap it for a link now.
      Files.setPosixFilePermissions(real, PosixFilePermissions.fromString(mode));
      return trustedDirectory(real);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }

  /**
   * Makes dir, in a trusted parent, a directory the worker user (account name) may write: created
   * when missing, otherwise only its own owner and mode change (never a walk below it, where the
   * worker could swap a directory for a link to something root owns). account empty = the agent's own.
   */
  public static Path workerDirectory(Path dir, java.util.Optional<String> account, String mode) {
    Path parent = createTrustedDirectory(dir.toAbsolutePath().getParent());
    Path real = parent.resolve(dir.getFileName());
    try {
      removeIfNotDirectory(real);
      if (!Files.exists(real, NOFOLLOW)) {
        Files.createDirectory(real);
      }
      giveTo(real, account);
      Files.setPosixFilePermissions(real, PosixFilePermissions.fromString(mode));
      return real;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + " for " + account.orElse("the agent"), e);
    }
  }

  /** Gives entry itself (lchown: a link is not followed, a directory not walked) to account and its group, if any. */
  public static void giveTo(Path entry, java.util.Optional<String> account) throws IOException {
    if (account.isPresent()) {
      UserPrincipalLookupService lookup = entry.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view = Files.getFileAttributeView(entry, PosixFileAttributeView.class, NOFOLLOW);
      view.setOwner(lookup.lookupPrincipalByName(account.get()));
      view.setGroup(lookup.lookupPrincipalByGroupName(account.get()));
    }
  }

  private static void removeIfNotDirectory(Path entry) throws IOException {
    if (Files.exists(entry, NOFOLLOW) && !Files.isDirectory(entry, NOFOLLOW)) {
      Files.delete(entry);
    }
  }

  /** Replaces target by content (UTF-8) with mode rw-r--r--; see {@link #write(Path, byte[], String)}. */
  public static void write(Path target, String content) {
    write(target, content.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
  }

  /**
   * Replaces target atomically: a new file (never an existing one, never through a link) created
   * with mode in target's directory, which must be trusted, then renamed over target (a link there
   * is replaced, not followed).
   */
  public static void write(Path target, byte[] content, String mode) {
    Path dir = createTrustedDirectory(target.toAbsolutePath().getParent());
    Path real = dir.resolve(target.getFileName());
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    try {
      try (SeekableByteChannel ch = Files.newByteChannel(tmp, options, PosixFilePermissions.asFileAttribute(perms))) {
        ByteBuffer bytes = ByteBuffer.wrap(content);
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
      }
      // The umask may have taken bits away at creation; tmp is ours in a trusted directory.
      Files.setPosixFilePermissions(tmp, perms);
      Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Left in a trusted directory; harmless.
      }
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /**
   * Prepares log, in a trusted directory, for a child's output to be appended to: anything but a
   * regular file of the agent with one link (a symbolic link, a hard link to another file, a FIFO)
   * is removed first, so the append cannot land anywhere else. Returns the path to open.
   */
  public static Path appendableLog(Path log) {
    Path dir = createTrustedDirectory(log.toAbsolutePath().getParent());
    Path real = dir.resolve(log.getFileName());
    try {
      if (Files.exists(real, NOFOLLOW)) {
        boolean plain = Files.isRegularFile(real, NOFOLLOW)
            && (Integer) Files.getAttribute(real, "unix:nlink", NOFOLLOW) == 1
            && (!agentIsRoot() || (Integer) Files.getAttribute(real, "unix:uid", NOFOLLOW) == AGENT_UID);
        if (!plain) {
          Files.delete(real);
        }
      }
      return real;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the log " + log, e);
    }
  }

  /**
   * The content of file as UTF-8, at most maxBytes from its end, read without following a
   * symbolic link (a link or a non-regular file reads as absent: Optional.empty()).
   */
  public static java.util.Optional<String> readTail(Path file, long maxBytes) {
    if (!Files.isRegularFile(file, NOFOLLOW)) {
      return java.util.Optional.empty();
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS))) {
      long size = ch.size();
      long start = Math.max(0, size - maxBytes);
      ch.position(start);
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(maxBytes, size - start));
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // Reads until the snapshot size; a file that grows meanwhile is read on the next call.
      }
      return java.util.Optional.of(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
