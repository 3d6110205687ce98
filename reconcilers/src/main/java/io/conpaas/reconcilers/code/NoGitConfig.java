package io.conpaas.reconcilers.code;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit without the operator account's or the machine's git configuration: no ~/.gitconfig,
 * XDG or /etc/gitconfig (url.insteadOf, http.extraHeader, http.sslVerify, proxies could turn a
 * user's fetch elsewhere or add the operator's credentials), and JGit never runs a `git` binary
 * to find the system configuration. Installed once for the JVM: the operator uses JGit for
 * code fetches only.
 */
final class NoGitConfig extends SystemReader.Delegate {
  private NoGitConfig(SystemReader delegate) {
    super(delegate);
  }

  /** Makes JGit's configuration source this one (idempotent). */
  static synchronized void install() {
    SystemReader current = SystemReader.getInstance();
    if (!(current instanceof NoGitConfig)) {
      SystemReader.setInstance(new NoGitConfig(current));
    }
  }

  @Override
  public FileBasedConfig openUserConfig(Config parent, FS fs) {
    return new Empty(parent, fs);
  }

  @Override
  public FileBasedConfig openSystemConfig(Config parent, FS fs) {
    return new Empty(parent, fs);
  }

  @Override
  public FileBasedConfig openJGitConfig(Config parent, FS fs) {
    return new Empty(parent, fs);
  }

  /** A configuration that reads no file and stays empty. */
  private static final class Empty extends FileBasedConfig {
    Empty(Config parent, FS fs) {
      super(parent, new File("/nonexistent/conpaas-no-git-config"), fs);
    }

    @Override
    public void load() {
      // Nothing to read.
    }

    @Override
    public void save() {
      // Nothing is ever written.
    }

    @Override
    public boolean isOutdated() {
      return false;
    }
  }
}
