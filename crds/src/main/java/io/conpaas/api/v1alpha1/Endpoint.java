package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An address where users reach a service. */
public class Endpoint {
  @JsonPropertyDescription("What the endpoint serves, e.g. http.")
  private String name;
  @JsonPropertyDescription("URL or host:port.")
  private String url;

  public Endpoint() {}

  public Endpoint(String name, String url) {
    this.name = name;
    this.url = url;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
}
