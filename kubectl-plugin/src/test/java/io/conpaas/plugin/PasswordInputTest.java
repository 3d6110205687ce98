package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How reset-password reads the new password, the rules it must meet, and that messages never show it. */
class PasswordInputTest {
  @Test
  void stdinGivesItsFirstLineWithoutTheLineBreak() {
    assertThat(PasswordInput.fromStream(stdin("s3cret-pass\nsecond line\n"))).isEqualTo("s3cret-pass");
    assertThat(PasswordInput.fromStream(stdin("s3cret-pass\r\n"))).isEqualTo("s3cret-pass");
    assertThat(PasswordInput.fromStream(stdin("pässwörd-ünïcode"))).isEqualTo("pässwörd-ünïcode");
    assertThatThrownBy(() -> PasswordInput.fromStream(stdin("")))
        .hasMessage("no password on stdin (--password-stdin reads its first line); nothing was changed");
  }

  @Test
  void theTerminalIsAskedTwiceWithoutEchoAndTheAnswersMustMatch() {
    List<String> prompts = new ArrayList<>();
    String pw = PasswordInput.fromTerminal(terminal(prompts, "correct horse", "correct horse"), "New password: ");

    assertThat(pw).isEqualTo("correct horse");
    assertThat(prompts).containsExactly("New password: ", "Repeat it: ");
    assertThatThrownBy(() -> PasswordInput.fromTerminal(terminal(prompts, "correct horse", "correct hose"), "p: "))
        .hasMessage("the two passwords differ; nothing was changed")
        .hasMessageNotContaining("horse").hasMessageNotContaining("hose");
    assertThatThrownBy(() -> PasswordInput.fromTerminal(terminal(prompts), "p: "))
        .hasMessage("no password entered; nothing was changed");
    assertThatThrownBy(() -> PasswordInput.fromTerminal(null, "p: "))
        .hasMessage("no terminal to ask for the new password; give it on stdin with --password-stdin");
  }

  @Test
  void refusesEmptyShortAndBlankEdgedPasswordsWithoutShowingThem() {
    assertThatThrownBy(() -> PasswordInput.validate("")).hasMessage("the new password is empty; nothing was changed");
    assertThatThrownBy(() -> PasswordInput.validate("short7!"))
        .hasMessage("the new password is too short: it needs at least 8 characters; nothing was changed");
    assertThatThrownBy(() -> PasswordInput.validate(" leading-blank"))
        .hasMessage("the new password starts or ends with a blank; nothing was changed");
    assertThatThrownBy(() -> PasswordInput.validate("trailing-blank\t")).hasMessageNotContaining("trailing");
    assertThatThrownBy(() -> PasswordInput.validate("bell\u0007-in-it"))
        .hasMessage("the new password contains a control character; nothing was changed");
    assertThat(PasswordInput.validate("8 chars!")).isEqualTo("8 chars!");
    assertThat(PasswordInput.validate("ünïcödé!")).isEqualTo("ünïcödé!");
  }

  private static ByteArrayInputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static PasswordInput.Terminal terminal(List<String> prompts, String... answers) {
    prompts.clear();
    Deque<String> left = new ArrayDeque<>(List.of(answers));
    return prompt -> {
      prompts.add(prompt);
      return left.isEmpty() ? null : left.pop().toCharArray();
    };
  }
}
