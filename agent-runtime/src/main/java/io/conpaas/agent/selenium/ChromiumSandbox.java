package io.conpaas.agent.selenium;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether Chromium can use its own sandbox. Debian's chromium ships no setuid sandbox helper, so
 * its sandbox needs unprivileged user namespaces; where the kernel forbids them (max_user_namespaces
 * 0, Debian's unprivileged_userns_clone 0, Ubuntu's AppArmor restriction) or the browser would run
 * as root, Chromium refuses to start without --no-sandbox. Then the node passes it: the browser is
 * still confined to the VM's own unprivileged account (the local cloud's per-VM account), which is
 * the isolation ConPaaS VMs had.
 */
final class ChromiumSandbox {
  private final Path procSys;

  ChromiumSandbox(Path procSys) {
    this.procSys = procSys;
  }

  static ChromiumSandbox host() {
    return new ChromiumSandbox(Path.of("/proc/sys"));
  }

  /** True when the browser, run as account (empty: the agent's own user), needs --no-sandbox. */
  boolean needsNoSandbox(Optional<String> account) {
    String user = account.orElse(System.getProperty("user.name"));
    if ("root".equals(user)) {
      return true;
    }
    return read("user/max_user_namespaces").map("0"::equals).orElse(false)
        || read("kernel/unprivileged_userns_clone").map("0"::equals).orElse(false)
        || read("kernel/apparmor_restrict_unprivileged_userns").map("1"::equals).orElse(false);
  }

  private Optional<String> read(String name) {
    try {
      return Optional.of(Files.readString(procSys.resolve(name)).strip());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
