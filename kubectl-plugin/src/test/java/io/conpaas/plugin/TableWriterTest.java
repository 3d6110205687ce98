package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Table output. */
class TableWriterTest {
  @Test
  void alignsColumnsThreeBlanksApartWithoutPaddingTheLastOne() {
    String text = new TableWriter("KIND", "NAME", "READY")
        .row("HelloWorldService", "hw", "agents 2/2")
        .row("PhpService", "a-much-longer-name", "backend 1/2, proxy 1/1")
        .render();

    assertThat(text).isEqualTo("""
        KIND                NAME                 READY
        HelloWorldService   hw                   agents 2/2
        PhpService          a-much-longer-name   backend 1/2, proxy 1/1
        """);
  }

  @Test
  void missingCellsShowADashAndLineBreaksBecomeBlanks() {
    String text = new TableWriter("A", "B", "C").row(null, "", "two\nlines").render();

    assertThat(text).isEqualTo("A   B   C\n-   -   two lines\n");
  }

  @Test
  void rejectsRowsOfTheWrongWidth() {
    assertThatThrownBy(() -> new TableWriter("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new TableWriter("A").isEmpty()).isTrue();
  }
}
