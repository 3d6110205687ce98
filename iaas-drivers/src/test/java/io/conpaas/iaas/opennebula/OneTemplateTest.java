package io.conpaas.iaas.opennebula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.VmTags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OneTemplate's text read back by a parser that follows OpenNebula's template lexer. */
class OneTemplateTest {
  @ParameterizedTest
  @ValueSource(strings = {"plain", "", "with \"quotes\"", "\"", "\"\"", "a\\b", "\\\"", "a\\\\\"b", "\\\\x",
      "new\nline", "\n", "tab\there", "comma, [bracket] = #hash", "# not a comment", "CPU = \"2\"", "ünïcødé ✓",
      "x\" \nINJECTED = \"1"})
  void valuesSurviveAsSingleAndVectorAttributes(String value) {
    Map<String, String> vector = new LinkedHashMap<>();
    vector.put("FIRST", value);
    vector.put("SECOND", "after");
    String text = new OneTemplate().single("NAME", value).vector("CONTEXT", vector).single("LAST", "end").text();

    List<OneTemplateParser.Attribute> parsed = OneTemplateParser.parse(text);

    assertThat(parsed).extracting(OneTemplateParser.Attribute::name).containsExactly("NAME", "CONTEXT", "LAST");
    assertThat(parsed.get(0).value()).isEqualTo(value);
    assertThat(parsed.get(1).vector()).containsExactly(Map.entry("FIRST", value), Map.entry("SECOND", "after"));
    assertThat(parsed.get(2).value()).isEqualTo("end");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ends with a backslash\\", "\\", "cdata ]]> end"})
  void valuesTheSyntaxCannotCarryAreRefused(String value) {
    assertThatThrownBy(() -> OneTemplate.quote(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot carry");
  }

  @Test
  void attributeNamesAreChecked() {
    assertThatThrownBy(() -> new OneTemplate().single("conpaas.io/x", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OneTemplate().single("A B", "v")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tagKeysMapToAttributeNamesAndBack() {
    for (String key : List.of(VmTags.CLUSTER, VmTags.NAMESPACE, VmTags.APPLICATION, VmTags.SERVICE, VmTags.ROLE,
        VmTags.AGENT, VmTags.AGENT_UID, VmTags.CLIENT_TOKEN, VmTags.AGENT_ENDPOINT)) {
      String attribute = OneTagAttributes.attributeFor(key);
      assertThat(attribute).matches("CONPAAS_[A-Z0-9_]+");
      assertThat(OneTagAttributes.tagFor(attribute)).contains(key);
    }
    assertThat(OneTagAttributes.attributeFor(VmTags.AGENT_UID)).isEqualTo("CONPAAS_AGENT_UID");
    assertThat(OneTagAttributes.attributeFor(VmTags.AGENT_ENDPOINT)).isEqualTo("CONPAAS_AGENT_ENDPOINT");
    assertThat(OneTagAttributes.tagFor("LABELS")).isEmpty();
    assertThat(OneTagAttributes.tagFor("SCHED_REQUIREMENTS")).isEmpty();
    assertThatThrownBy(() -> OneTagAttributes.attributeFor("conpaas.io/Upper"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OneTagAttributes.attributeFor("conpaas.io/under_score"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OneTagAttributes.attributeFor("example.com/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
