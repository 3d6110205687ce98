package io.conpaas.reconcilers.pki;

/** A certificate and its private key in PEM. */
public record IssuedCertificate(String certificatePem, String privateKeyPem) {
  @Override
  public String toString() {
    return "IssuedCertificate[key hidden]";
  }
}
