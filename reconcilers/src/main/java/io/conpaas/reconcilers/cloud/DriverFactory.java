package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.IaasDriver;

/** Builds the driver for a Cloud from its spec and its credentials. */
@FunctionalInterface
public interface DriverFactory {
  IaasDriver create(Cloud cloud, CloudCredentials credentials);
}
