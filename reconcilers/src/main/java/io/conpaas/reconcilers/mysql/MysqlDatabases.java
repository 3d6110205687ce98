package io.conpaas.reconcilers.mysql;

import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.reconcilers.cloud.CachedResources;
import io.conpaas.reconcilers.service.Databases;
import java.util.Optional;

/** The MysqlServices web services use, read from the informer cache: the master's endpoint from status. */
public final class MysqlDatabases implements Databases {
  private final CachedResources<MysqlService> services;

  public MysqlDatabases(CachedResources<MysqlService> services) {
    this.services = services;
  }

  @Override
  public Optional<Database> find(String namespace, String name) {
    return services.get(namespace, name)
        .filter(s -> s.getStatus() != null && s.getStatus().getEndpoints() != null
            && !s.getStatus().getEndpoints().isEmpty() && s.getStatus().getMysql() != null
            // Set only while the service's Secret passed the label check: a refused
            // passwordSecretRef never reaches PHP backends through an old endpoint.
            && s.getStatus().getMysql().getCredentialsVersion() != null)
        .map(s -> {
          String url = s.getStatus().getEndpoints().get(0).getUrl();
          int colon = url.lastIndexOf(':');
          return new Database(url.substring(0, colon).replace("[", "").replace("]", ""), url.substring(colon + 1),
              s.getStatus().getMysql().getUser(), MysqlKind.secretName(s),
              s.getStatus().getMysql().getCredentialsVersion(), s.getStatus().getMysql().getVpnAddress(),
              s.getSpec() == null ? null : s.getSpec().getApplication());
        });
  }

  @Override
  public boolean exists(String namespace, String name) {
    return services.get(namespace, name).isPresent();
  }
}
