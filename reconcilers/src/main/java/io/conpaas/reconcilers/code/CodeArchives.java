package io.conpaas.reconcilers.code;

import java.nio.file.Path;
import java.util.Optional;

/** Where the Agent reconciler finds the archive of a code version to forward to an agent. */
public interface CodeArchives {
  Optional<Path> archive(ServiceCode service, String version);
}
