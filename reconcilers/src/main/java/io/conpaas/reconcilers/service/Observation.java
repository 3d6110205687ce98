package io.conpaas.reconcilers.service;

import io.conpaas.reconcilers.code.FetchState;
import io.conpaas.reconcilers.code.StoredVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a kind's observe step found beyond the generic reads, for its pure plan of the same pass:
 * Secret versions by Secret name, the stored code versions, where a spec.code.source fetch stands,
 * the database a web service uses, and problems met while observing. Immutable.
 */
public record Observation(Map<String, String> secretVersions, List<StoredVersion> codeVersions,
    Optional<FetchState> codeFetch, Optional<Databases.Database> database, List<String> problems) {
  /** Nothing observed (kinds without an observe step). */
  public static final Observation NONE = new Observation(Map.of(), List.of(), Optional.empty(), Optional.empty(),
      List.of());

  public Observation {
    secretVersions = Map.copyOf(secretVersions);
    codeVersions = List.copyOf(codeVersions);
    problems = List.copyOf(problems);
  }

  /** With the Secret's resourceVersion. */
  public Observation withSecretVersion(String secret, String resourceVersion) {
    Map<String, String> all = new LinkedHashMap<>(secretVersions);
    all.put(secret, resourceVersion);
    return new Observation(all, codeVersions, codeFetch, database, problems);
  }

  /** With the stored code versions and, when the spec has a source, where its fetch stands. */
  public Observation withCode(List<StoredVersion> versions, Optional<FetchState> fetch) {
    return new Observation(secretVersions, versions, fetch, database, problems);
  }

  public Observation withDatabase(Optional<Databases.Database> db) {
    return new Observation(secretVersions, codeVersions, codeFetch, db, problems);
  }

  /** With one more problem (it blocks the service like a problem of the plan). */
  public Observation withProblem(String problem) {
    List<String> all = new ArrayList<>(problems);
    all.add(problem);
    return new Observation(secretVersions, codeVersions, codeFetch, database, all);
  }

  /** The resourceVersion of the Secret, when observed. */
  public Optional<String> secretVersion(String secret) {
    return Optional.ofNullable(secretVersions.get(secret));
  }

  /** The version spec.code.source is stored under, when its fetch is done. */
  public Optional<String> fetchedVersion() {
    return codeFetch.filter(FetchState.Stored.class::isInstance).map(f -> ((FetchState.Stored) f).version());
  }
}
