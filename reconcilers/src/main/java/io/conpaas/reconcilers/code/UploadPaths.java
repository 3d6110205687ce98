package io.conpaas.reconcilers.code;

/** The path layout of the upload listener: /uploads/NAMESPACE/NAME/UID. */
public final class UploadPaths {
  public static final String PREFIX = "/uploads/";

  private UploadPaths() {}
}
