package io.conpaas.reconcilers.code;

/** Where a service's spec.code.source stands: stored under a version, being fetched, or failed. */
public sealed interface FetchState {
  /** In the code store under this version name. */
  record Stored(String version) implements FetchState {}

  /** A fetch is queued or running; message says what and since when. */
  record Fetching(String message) implements FetchState {}

  /** The last attempt failed; message says why and when the next attempt is. */
  record Failed(String message) implements FetchState {}
}
