package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What an upload is for: a code version, or an SQL dump for a MySQL service. Immutable: a request is used once. */
@ValidationRule(value = "self == oldSelf", message = "a CodeUpload cannot be changed; create a new one")
@ValidationRule(value = "self.serviceKind == 'MysqlService' || has(self.version)",
    message = "version is required for code uploads")
public class CodeUploadSpec {
  /** The service kinds that take code. */
  public enum ServiceKind { PhpService, JavaService, MysqlService }

  @Required
  @JsonPropertyDescription("Kind of the target service: PhpService or JavaService (code), MysqlService (an SQL "
      + "dump applied on the master, ConPaaS load_dump).")
  private ServiceKind serviceKind;

  @Required
  @JsonPropertyDescription("Name of the target service (same namespace); the creator must be allowed to update it.")
  private String service;

  @Pattern(CodeSpec.VERSION_PATTERN)
  @JsonPropertyDescription("Name of the new code version (code uploads only); a version that exists already is "
      + "refused.")
  private String version;

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
  public String getTokenSha256() { return tokenSha256; }
  public void setTokenSha256(String tokenSha256) { this.tokenSha256 = tokenSha256; }
}
