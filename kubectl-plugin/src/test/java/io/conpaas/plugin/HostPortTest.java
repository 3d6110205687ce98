package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Host and port of a MySQL endpoint as status.endpoints gives it. */
class HostPortTest {
  @Test
  void readsHostAndPortInTheFormsTheOperatorWrites() {
    assertThat(HostPort.parse("10.0.0.5:3306")).isEqualTo(new HostPort("10.0.0.5", 3306));
    assertThat(HostPort.parse("[fd00::5]:3307")).isEqualTo(new HostPort("fd00::5", 3307));
    assertThat(HostPort.parse("db.example.org")).isEqualTo(new HostPort("db.example.org", null));
    assertThat(HostPort.parse("[fd00::5]")).isEqualTo(new HostPort("fd00::5", null));
    assertThat(HostPort.parse("mysql://db.example.org:3306/")).isEqualTo(new HostPort("db.example.org", 3306));
  }

  @Test
  void refusesWhatIsNoHostAndPort() {
    assertThatThrownBy(() -> HostPort.parse("fd00::5:3306"))
        .hasMessage("cannot read a host and port from the endpoint 'fd00::5:3306'");
    assertThatThrownBy(() -> HostPort.parse("host:port")).isInstanceOf(CliException.class);
    assertThatThrownBy(() -> HostPort.parse("")).isInstanceOf(CliException.class);
  }
}
