package io.conpaas.reconcilers.code;

import java.io.InputStream;

/** Where an SQL dump uploaded for a MySQL service goes (its master agent). */
public interface DumpTarget {
  /** Applies the dump and answers with the HTTP status and JSON body to relay to the uploader. */
  CodeUploadReceiver.Answer apply(String namespace, String service, InputStream dump, long length);
}
