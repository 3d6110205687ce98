package io.conpaas.api.crdgen;

import io.conpaas.api.v1alpha1.KindRegistry;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Generates the CRD YAML from the resource classes with fabric8's CRD generator (run by the
 * build). It exists instead of the generator's Maven plugin for one reason: the generator sorts
 * printer columns by JSON path, and users expect them in the order the classes declare them
 * (STATE, READY, AGE), so a post-processor restores that order.
 */
public final class CrdGeneratorMain {
  /** Every kind this version of the API serves. */
  static final List<Class<? extends HasMetadata>> KINDS = KindRegistry.allResources();

  private CrdGeneratorMain() {}

  public static void main(String[] args) {
    File out = new File(args[0]);
    out.mkdirs();
    Map<String, Class<? extends HasMetadata>> byKind = KINDS.stream()
        .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));
    int n = new CRDGenerator()
        .inOutputDir(out)
        .forCRDVersions("v1")
        .withPostProcessor(new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            CustomResourceDefinition def = (CustomResourceDefinition) crd;
            orderColumns(def, byKind.get(def.getSpec().getNames().getKind()));
            return def;
          }
        })
        .customResourceClasses(KINDS)
        .generate();
    if (n != KINDS.size()) {
      throw new IllegalStateException("generated " + n + " CRDs, expected " + KINDS.size());
    }
  }

  private static void orderColumns(CustomResourceDefinition crd, Class<?> type) {
    List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      if (v.getAdditionalPrinterColumns() != null) {
        v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
            (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      }
    }
  }
}
