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
    Optional<FetchState> codeFetch, Optional<Databases.Database> database, List<String> problems,
    Optional<Object> kindState) {
  /** Nothing observed (kinds without an observe step). */
  public static final Observation NONE = new Observation(Map.of(), List.of(), Optional.empty(), Optional.empty(),
      List.of(), Optional.empty());

  public Observation(Map<String, String> secretVersions, List<StoredVersion> codeVersions,
      Optional<FetchState> codeFetch, Optional<Databases.Database> database, List<String> problems) {
    this(secretVersions, codeVersions, codeFetch, database, problems, Optional.empty());
  }

  /** With state only one kind reads (e.g. TaskFarm's ledger as observe stored it). */
  public Observation withKindState(Object state) {
    return new Observation(secretVersions, codeVersions, codeFetch, database, problems, Optional.of(state));
  }

  /** The kind's own state of this pass, when observe recorded one of that type. */
  public <T> Optional<T> kindState(Class<T> type) {
    return kindState.filter(type::isInstance).map(type::cast);
  }

  public Observation {
    secretVersions = Map.copyOf(secretVersions);
    codeVersions = List.copyOf(codeVersions);
    problems = List.copyOf(problems);
  }

  /** With the Secret's resourceVersion. */
  public Observation withSecretVersion(String secret, String resourceVersion) {
    Map<String, String> all = new LinkedHashMap<>(secretVersions);
    all.put(secret, resourceVersion);
    return new Observation(all, codeVersions, codeFetch, database, problems, kindState);
  }

  /** With the stored code versions and, when the spec has a source, where its fetch stands. */
  public Observation withCode(List<StoredVersion> versions, Optional<FetchState> fetch) {
    return new Observation(secretVersions, versions, fetch, database, problems, kindState);
  }

  public Observation withDatabase(Optional<Databases.Database> db) {
    return new Observation(secretVersions, codeVersions, codeFetch, db, problems, kindState);
  }

  /** With one more problem (it blocks the service like a problem of the plan). */
  public Observation withProblem(String problem) {
    List<String> all = new ArrayList<>(problems);
    all.add(problem);
    return new Observation(secretVersions, codeVersions, codeFetch, database, all, kindState);
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
