package io.conpaas.reconcilers.service;

import java.util.Optional;

/** Finds the database a web service uses (a MysqlService of its namespace), for its backends' configuration. */
public interface Databases {
  /** Where backends reach the database and with which credentials; empty while it has no master address. */
  record Database(String host, String port, String user, String passwordSecret, String credentialsVersion) {}

  /** Empty when the service does not exist or has no running master yet; throws nothing. */
  Optional<Database> find(String namespace, String name);

  /** Whether a service of that name exists at all (a missing one is a problem, a starting one is not). */
  boolean exists(String namespace, String name);
}
