package io.conpaas.api.v1alpha1;

/** Where a CodeUpload stands. */
public enum CodeUploadPhase {
  /** The URL in status accepts one upload until expiresAt. */
  Ready,
  /** The archive is being received and checked (the URL is spent). */
  Uploading,
  /** The archive was checked and stored as a version of the service. */
  Completed,
  /** Refused (message says why); nothing of the upload was kept. */
  Failed
}
