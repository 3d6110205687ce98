package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Status of a MysqlService: the common status plus connection and replication details. */
public class MysqlServiceStatus extends ServiceStatus {
  @JsonPropertyDescription("Connection and replication details.")
  private MysqlStatus mysql;

  public MysqlStatus getMysql() { return mysql; }
  public void setMysql(MysqlStatus mysql) { this.mysql = mysql; }
}
