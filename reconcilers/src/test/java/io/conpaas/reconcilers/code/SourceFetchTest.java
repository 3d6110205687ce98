package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.GitSource;
import org.junit.jupiter.api.Test;

/** Source URLs reach status, events and the store's origin: credentials in them never do. */
class SourceFetchTest {
  @Test
  void credentialsInAUrlAreMasked() {
    assertThat(SourceFetch.withoutUserInfo("https://bob:s3cret@git.example/repo.git"))
        .isEqualTo("https://***@git.example/repo.git");
    assertThat(SourceFetch.withoutUserInfo("https://git.example/a@b")).isEqualTo("https://git.example/a@b");
    CodeSource url = new CodeSource();
    url.setUrl("https://tok3n@files.example/app.zip");
    assertThat(SourceFetch.describe(url)).doesNotContain("tok3n");
    GitSource git = new GitSource();
    git.setUrl("https://bob:s3cret@git.example/repo.git");
    git.setRef("main");
    assertThat(SourceFetch.gitOrigin(git)).doesNotContain("s3cret");
  }

  @Test
  void aGitUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
    assertThatThrownBy(() -> SourceFetch.gitUrl("https://bob:s3cret@git.example/repo.git"))
        .hasMessageContaining("no credentials in the URL").hasMessageNotContaining("s3cret");
  }
}
