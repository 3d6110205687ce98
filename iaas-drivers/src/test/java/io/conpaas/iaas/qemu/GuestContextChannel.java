package io.conpaas.iaas.qemu;

import java.util.List;

/**
 * How a guest booted by {@link ImageGuest} gets its contextualization document, the way a real
 * cloud hands it over: devices added to the VM (a context CD-ROM) and options added to its user
 * network (a guest forward to a metadata service). Closing it stops whatever serves the document.
 */
public interface GuestContextChannel extends AutoCloseable {
  /** qemu arguments for devices that carry the document (none for a network channel). */
  List<String> devices();

  /** Options appended to the VM's -netdev user,... (each starting with a comma), or "". */
  String networkOptions();

  /** A line for logs: which channel, where. */
  String describe();

  @Override
  void close();
}
