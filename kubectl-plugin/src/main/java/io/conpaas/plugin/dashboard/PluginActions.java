package io.conpaas.plugin.dashboard;

import io.conpaas.plugin.ServiceObject;
import java.nio.file.Path;

/** The plugin's own multi-step actions the dashboard reuses (the authorized CodeUpload path, the password Secret). */
public interface PluginActions {
  /**
   * Uploads {@code archive} as version {@code version} of {@code s} (null: the next vN) through a
   * CodeUpload, as upload-code does; returns the stored version's name.
   */
  String uploadCode(ServiceObject s, String version, Path archive) throws Exception;

  /** Writes a MySQL service's new password into its Secret, as reset-password does (without waiting). */
  void resetPassword(ServiceObject s, String password);
}
