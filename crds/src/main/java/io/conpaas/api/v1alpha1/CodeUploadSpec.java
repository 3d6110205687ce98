package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What an upload is for: a code version, or an SQL dump for a MySQL service. Immutable: a request is used once. */
@ValidationRule(value = "self == oldSelf", message = "a CodeUpload cannot be changed; create a new one")
@ValidationRule(value = "self.serviceKind == 'MysqlService' || self.serviceKind == 'MapReduceService' "
    + "|| has(self.version)", message = "version is required for code uploads")
@ValidationRule(value = "self.serviceKind == 'MapReduceService' || (!has(self.args) && !has(self.hdfsPath))",
    message = "args and hdfsPath are for MapReduceService uploads only")
public class CodeUploadSpec {
  /** The service kinds that take code. */
  public enum ServiceKind { PhpService, JavaService, MysqlService, MapReduceService }

  @Required
  @JsonPropertyDescription("Kind of the target service: PhpService or JavaService (code), MysqlService (an SQL "
      + "dump applied on the master, ConPaaS load_dump), MapReduceService (a job jar run on the master, or with "
      + "hdfsPath a data file put into HDFS).")
  private ServiceKind serviceKind;

  @Required
  @JsonPropertyDescription("Name of the target service (same namespace); the creator must be allowed to update it.")
  private String service;

  @Pattern(CodeSpec.VERSION_PATTERN)
  @JsonPropertyDescription("Name of the new code version (code uploads only); a version that exists already is "
      + "refused.")
  private String version;

  @io.fabric8.generator.annotation.Size(max = 64)
  @JsonPropertyDescription("MapReduceService job uploads: the job's arguments (hadoop jar JAR ARGS), at most 64.")
  private java.util.List<String> args;

  @Pattern("^/")
  @io.fabric8.generator.annotation.Size(max = 1024)
  @JsonPropertyDescription("MapReduceService data uploads: the absolute HDFS path the file is written to "
      + "(overwritten); without it the upload is a job jar.")
  private String hdfsPath;

  @Required
  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription("SHA-256 (hex) of the secret upload token the uploader will present; the token "
      + "itself is never stored.")
  private String tokenSha256;

  public ServiceKind getServiceKind() { return serviceKind; }
  public void setServiceKind(ServiceKind serviceKind) { this.serviceKind = serviceKind; }
  public String getService() { return service; }
  public void setService(String service) { this.service = service; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public java.util.List<String> getArgs() { return args; }
  public void setArgs(java.util.List<String> args) { this.args = args; }
  public String getHdfsPath() { return hdfsPath; }
  public void setHdfsPath(String hdfsPath) { this.hdfsPath = hdfsPath; }
  public String getTokenSha256() { return tokenSha256; }
  public void setTokenSha256(String tokenSha256) { this.tokenSha256 = tokenSha256; }
}
