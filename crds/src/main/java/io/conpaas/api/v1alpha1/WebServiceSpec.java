package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/** The roles and code every web hosting service has (PHP and Java, manual 2.3 and 2.4). */
public abstract class WebServiceSpec extends ServiceSpec {
  public static final String ROLE_BACKEND = "backend";
  public static final String ROLE_WEB = "web";
  public static final String ROLE_PROXY = "proxy";

  @JsonPropertyDescription("Static web servers (nginx) for files that need no backend.")
  private RoleSpec web;

  @JsonPropertyDescription("Load balancers (nginx) in front of the web and backend agents; the service's URL.")
  private RoleSpec proxy;

  @JsonPropertyDescription("The code to serve: the active version and an optional source to fetch.")
  private CodeSpec code;

  /** The scale role's block (declared by each kind for its own description). */
  public abstract ScaleRoleSpec getBackend();

  public RoleSpec getWeb() { return web; }
  public void setWeb(RoleSpec web) { this.web = web; }
  public RoleSpec getProxy() { return proxy; }
  public void setProxy(RoleSpec proxy) { this.proxy = proxy; }
  public CodeSpec getCode() { return code; }
  public void setCode(CodeSpec code) { this.code = code; }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    // Backends and web servers first: the proxy is configured with them once they answer.
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_BACKEND, getBackend());
    roles.put(ROLE_WEB, web);
    roles.put(ROLE_PROXY, proxy);
    return roles;
  }
}
