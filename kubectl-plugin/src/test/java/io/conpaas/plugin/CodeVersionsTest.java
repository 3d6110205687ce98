package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.api.v1alpha1.CodeVersionStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Default names of new versions and the checks of version names. */
class CodeVersionsTest {
  @Test
  void theFirstVersionIsV1() {
    assertThat(CodeVersions.next(List.of())).isEqualTo("v1");
    assertThat(CodeVersions.next(List.of("release", "prod-2024"))).isEqualTo("v1");
  }

  @Test
  void theNextVersionFollowsTheHighestNumberNotTheLastOrTheCount() {
    assertThat(CodeVersions.next(List.of("v1", "v2"))).isEqualTo("v3");
    assertThat(CodeVersions.next(List.of("v1", "v10", "v9"))).isEqualTo("v11");
    assertThat(CodeVersions.next(List.of("v4", "hotfix"))).isEqualTo("v5");
    assertThat(CodeVersions.next(List.of("v007"))).isEqualTo("v8");
  }

  @Test
  void onlyNamesThatAreVAndDigitsCount() {
    assertThat(CodeVersions.next(Arrays.asList("V7", "v2a", "v", "v1.5", "xv9", "v3", null))).isEqualTo("v4");
    assertThat(CodeVersions.next(List.of("v99999999999999999999999"))).isEqualTo("v100000000000000000000000");
  }

  @Test
  void namesAreTheVersionsInTheirOrder() {
    CodeVersionStatus a = new CodeVersionStatus("v2", "aa", 1, "zip", "2026-01-01T00:00:00Z", "upload");
    CodeVersionStatus b = new CodeVersionStatus("v1", "bb", 1, "zip", "2026-01-02T00:00:00Z", "upload");

    assertThat(CodeVersions.names(List.of(a, b))).containsExactly("v2", "v1");
    assertThat(CodeVersions.describe(List.of("v2", "v1"))).isEqualTo("v2, v1");
    assertThat(CodeVersions.describe(List.of())).isEqualTo("none uploaded yet");
  }

  @Test
  void versionNamesFollowTheApisPattern() {
    assertThat(CodeVersions.requireValid("v1.2_rc-3")).isEqualTo("v1.2_rc-3");
    for (String bad : new String[] {"", "-v1", ".v1", "v/1", "v 1", "x".repeat(64)}) {
      assertThatThrownBy(() -> CodeVersions.requireValid(bad)).as(bad)
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
          .hasMessageStartingWith("version '" + bad + "' is not valid");
    }
  }

  @Test
  void theUploadsNamePrefixIsAValidObjectNameWhateverTheVersion() {
    assertThat(CodeVersions.uploadNamePrefix("web", "v3")).isEqualTo("web-v3-");
    assertThat(CodeVersions.uploadNamePrefix("web", "Release_1.2")).isEqualTo("web-release-1-2-");
    assertThat(CodeVersions.uploadNamePrefix("web", "v1.")).matches("[a-z0-9][-a-z0-9]*-");
  }
}
