package io.conpaas.iaas.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which accelerator qemu uses: KVM when a bounded probe of /dev/kvm succeeds, TCG (emulation)
 * otherwise. The probe boots a one-sector guest that exits at once, with KVM and with TCG: a /dev/kvm
 * that hangs is cut off at the deadline, and one slower than emulation (on the development machine
 * 2 to 6 s where TCG takes 0.4 s, and real guests then stall) is not used either. The answer is kept per
 * qemu binary for the life of the process: it is derived from the host, not state to persist.
 */
public record QemuAccelerator(String name, String why) {
  /** A working KVM boots the probe in well under a second; a hanging or crawling one is not used. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final Path KVM = Path.of("/dev/kvm");
  private static final Map<String, QemuAccelerator> PROBED = new ConcurrentHashMap<>();

  public boolean kvm() {
    return "kvm".equals(name);
  }

  /** The accelerator for this qemu binary (probed once). */
  public static QemuAccelerator forBinary(String qemu) {
    return PROBED.computeIfAbsent(qemu, QemuAccelerator::probe);
  }

  private static QemuAccelerator probe(String qemu) {
    if (!Files.exists(KVM)) {
      return new QemuAccelerator("tcg", "no /dev/kvm");
    }
    if (!Files.isReadable(KVM) || !Files.isWritable(KVM)) {
      return new QemuAccelerator("tcg", "/dev/kvm is not usable by this user");
    }
    Path disk;
    try {
      disk = Files.createTempFile("conpaas-kvm-probe", ".img");
      Files.write(disk, PROBE_BOOT_SECTOR);
    } catch (IOException e) {
      return new QemuAccelerator("tcg", "cannot write the KVM probe disk: " + e.getMessage());
    }
    try {
      long kvmStart = System.nanoTime();
      BoundedRun.Result r = boot(qemu, "kvm", disk);
      long kvmMillis = (System.nanoTime() - kvmStart) / 1_000_000;
      if (r.timedOut()) {
        return new QemuAccelerator("tcg", "a KVM guest did not boot within " + PROBE_TIMEOUT.toSeconds()
            + " s (/dev/kvm hangs or is too slow)");
      }
      if (r.status() != PROBE_EXIT) {
        String out = r.output();
        return new QemuAccelerator("tcg", "KVM probe failed: " + (out.length() > 200 ? out.substring(0, 200) : out));
      }
      // A working KVM boots the probe several times faster than emulation; one that is slower than
      // TCG is broken (nested virtualisation that stalls) and hangs real guests.
      long tcgStart = System.nanoTime();
      BoundedRun.Result t = boot(qemu, "tcg", disk);
      long tcgMillis = (System.nanoTime() - tcgStart) / 1_000_000;
      if (t.status() == PROBE_EXIT && kvmMillis > tcgMillis) {
        return new QemuAccelerator("tcg", "a KVM guest booted slower than emulation (" + kvmMillis + " ms vs "
            + tcgMillis + " ms): /dev/kvm stalls");
      }
      return new QemuAccelerator("kvm", "a KVM guest booted in " + kvmMillis + " ms (TCG " + tcgMillis + " ms)");
    } finally {
      try {
        Files.deleteIfExists(disk);
      } catch (IOException e) {
        // A 512-byte temp file left behind.
      }
    }
  }

  private static BoundedRun.Result boot(String qemu, String accel, Path disk) {
    return BoundedRun.run(List.of(qemu, "-accel", accel, "-machine", "pc", "-nodefaults", "-no-user-config",
        "-display", "none", "-m", "16", "-drive", "file=" + disk + ",format=raw,if=ide",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"), PROBE_TIMEOUT, null);
  }

  /**
   * A boot sector that writes 1 to the isa-debug-exit port (qemu then exits with status 3):
   * the BIOS and the guest code really run on KVM, which opening /dev/kvm alone does not prove.
   */
  private static final byte[] PROBE_BOOT_SECTOR = bootSector();
  private static final int PROBE_EXIT = 3;

  private static byte[] bootSector() {
    byte[] s = new byte[512];
    byte[] code = {(byte) 0xB0, 0x01, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};
    System.arraycopy(code, 0, s, 0, code.length);
    s[510] = 0x55;
    s[511] = (byte) 0xAA;
    return s;
  }
}
