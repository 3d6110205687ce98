package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a PHP web hosting service (manual 2.3). */
public class PhpServiceSpec extends WebServiceSpec {
  @JsonPropertyDescription("PHP servers (nginx + php-fpm) running the active code; the scale role.")
  private ScaleRoleSpec backend;

  @JsonPropertyDescription("ConPaaS toggle_debug: true shows PHP errors in pages; default false.")
  private Boolean debug;

  @JsonPropertyDescription("A MysqlService (same namespace) the PHP code uses: its master's host and port, the "
      + "user and the password (from its Secret, over mutual TLS) reach every backend as the environment variables "
      + "CONPAAS_DB_HOST, CONPAAS_DB_PORT, CONPAAS_DB_USER and CONPAAS_DB_PASSWORD (and CONPAAS_DB_PASSWORD_FILE).")
  private LocalObjectRef database;

  public LocalObjectRef getDatabase() { return database; }
  public void setDatabase(LocalObjectRef database) { this.database = database; }

  @Override
  public ScaleRoleSpec getBackend() { return backend; }
  public void setBackend(ScaleRoleSpec backend) { this.backend = backend; }
  public Boolean getDebug() { return debug; }
  public void setDebug(Boolean debug) { this.debug = debug; }

  /** True when PHP errors are to be shown (not a bean getter on purpose). */
  public boolean debugRequested() { return Boolean.TRUE.equals(debug); }
}
