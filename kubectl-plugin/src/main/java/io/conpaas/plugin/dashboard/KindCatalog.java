package io.conpaas.plugin.dashboard;

import io.conpaas.plugin.ServiceKind;
import io.conpaas.plugin.ServiceKinds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pages know about each service kind, all derived: roles, scale role and fixed roles from
 * the plugin's kinds (the API's kind registry), features, and the spec's OpenAPI schema from the CRD
 * this plugin was built with (in its jar, as doctor uses it). A kind added to the registry gets its
 * pages from this alone.
 */
public final class KindCatalog {
  /** Where the build puts the chart's CRDs inside the jar. */
  static final String CRD_RESOURCES = "/conpaas-crds/";

  private final ServiceKinds kinds;
  private final List<Map<String, Object>> described;

  public KindCatalog(ServiceKinds kinds) {
    this.kinds = kinds;
    this.described = kinds.all().stream().map(KindCatalog::describe).toList();
  }

  /** The plugin's kinds. */
  public ServiceKinds kinds() {
    return kinds;
  }

  /** One map per kind, ready for JSON: the document the browser renders every page from. */
  public List<Map<String, Object>> describe() {
    return described;
  }

  static Map<String, Object> describe(ServiceKind k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", k.kind());
    m.put("type", k.type());
    m.put("plural", k.context().getPlural());
    m.put("apiVersion", k.apiVersion());
    m.put("roles", k.roles());
    m.put("scaleRole", k.scaleRole());
    m.put("fixedRoles", k.fixedRoles());
    m.put("initialNodes", k.initialNodes());
    m.put("features", k.features().stream().map(Enum::name).sorted().toList());
    m.put("specSchema", specSchema(k));
    return m;
  }

  /** The OpenAPI schema of the kind's spec, from the CRD copy in the jar; null when the jar has none. */
  static JSONSchemaProps specSchema(ServiceKind k) {
    String file = CRD_RESOURCES + k.context().getPlural() + "." + k.context().getGroup() + "-v1.yml";
    try (InputStream in = KindCatalog.class.getResourceAsStream(file)) {
      if (in == null) {
        return null;
      }
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (v.getName().equals(k.context().getVersion()) && v.getSchema() != null
            && v.getSchema().getOpenAPIV3Schema() != null && v.getSchema().getOpenAPIV3Schema().getProperties() != null) {
          return v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
