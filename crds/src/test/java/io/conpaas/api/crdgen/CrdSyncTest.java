package io.conpaas.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart ships exactly the CRDs the build generates from the classes: a hand-edited or
 * stale file in helm/conpaas/crds fails here. Regenerate with
 * {@code mvn -pl crds -Pupdate-crds process-test-classes} and commit the result.
 */
class CrdSyncTest {
  private static final Path GENERATED = Path.of("target/crds");
  private static final Path CHART = Path.of("../helm/conpaas/crds");

  @Test
  void theChartsCrdsAreTheGeneratedOnes() throws IOException {
    List<String> generated = names(GENERATED);
    assertThat(generated).as("generated CRDs").hasSize(CrdGeneratorMain.KINDS.size());
    assertThat(names(CHART)).as("files in helm/conpaas/crds").containsExactlyElementsOf(generated);
    for (String name : generated) {
      assertThat(Files.readString(CHART.resolve(name)))
          .as("helm/conpaas/crds/" + name + " differs from the CRD generated from the classes; run "
              + "`mvn -pl crds -Pupdate-crds process-test-classes` and commit it (never edit it by hand)")
          .isEqualTo(Files.readString(GENERATED.resolve(name)));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
    }
  }
}
