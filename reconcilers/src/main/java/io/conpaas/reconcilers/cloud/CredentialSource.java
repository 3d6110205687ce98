package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;

/** Where a Cloud's credentials come from (its Secret, in production). */
@FunctionalInterface
public interface CredentialSource {
  CloudCredentials forCloud(Cloud cloud);
}
