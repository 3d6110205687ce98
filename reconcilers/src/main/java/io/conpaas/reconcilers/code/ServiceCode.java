package io.conpaas.reconcilers.code;

/** Which service's code: namespace, kind (PhpService or JavaService) and name. */
public record ServiceCode(String namespace, String kind, String name) {
  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
