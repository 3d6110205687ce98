package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Status of a web hosting service (PhpService, JavaService): the common status plus its code. */
public class WebServiceStatus extends ServiceStatus {
  @JsonPropertyDescription("Code versions and the active one.")
  private CodeStatus code;

  public CodeStatus getCode() { return code; }
  public void setCode(CodeStatus code) { this.code = code; }
}
