package io.conpaas.reconcilers.service;

import java.util.Optional;

/** Finds the database a web service uses (a MysqlService of its namespace), for its backends' configuration. */
public interface Databases {
  /** Where backends reach the database and with which credentials; empty while it has no master address. */
  record Database(String host, String port, String user, String passwordSecret, String credentialsVersion,
      String vpnHost, String application) {

    /** A database reached at host only (no VPN). */
    public Database(String host, String port, String user, String passwordSecret, String credentialsVersion) {
      this(host, port, user, passwordSecret, credentialsVersion, null, null);
    }

    /** Where a backend of a service of application reaches it: over the application's VPN when both are on it. */
    public String hostFor(String clientApplication, boolean clientOnVpn) {
      return clientOnVpn && vpnHost != null && java.util.Objects.equals(application, clientApplication) ? vpnHost : host;
    }
  }

  /** Empty when the service does not exist or has no running master yet; throws nothing. */
  Optional<Database> find(String namespace, String name);

  /** Whether a service of that name exists at all (a missing one is a problem, a starting one is not). */
  boolean exists(String namespace, String name);
}
