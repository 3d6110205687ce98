package io.conpaas.agent.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which HDFS paths the master's data endpoint takes. */
class HdfsFilesEndpointTest {
  @Test
  void onlyAbsolutePathsWithoutDotSegmentsOrControlCharacters() {
    assertThat(HdfsFilesEndpoint.pathOf("path=%2Fin%2Fwords.txt")).isEqualTo("/in/words.txt");
    assertThat(HdfsFilesEndpoint.pathOf("x=1&path=/a%20b")).isEqualTo("/a b");
    assertThat(HdfsFilesEndpoint.pathOf("path=in/words.txt")).isNull();
    assertThat(HdfsFilesEndpoint.pathOf("path=/in/../etc")).isNull();
    assertThat(HdfsFilesEndpoint.pathOf("path=/in/./x")).isNull();
    assertThat(HdfsFilesEndpoint.pathOf("path=/a%0Ab")).isNull();
    assertThat(HdfsFilesEndpoint.pathOf("other=1")).isNull();
    assertThat(HdfsFilesEndpoint.pathOf(null)).isNull();
  }
}
