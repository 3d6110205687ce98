package io.conpaas.reconcilers.vpn;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.reconcilers.service.Databases.Database;
import org.junit.jupiter.api.Test;

/** PHP backends reach a MysqlService over the VPN only when both are on the same application's VPN. */
class DatabaseVpnTest {
  private final Database db = new Database("10.0.0.5", "3306", "mysqladb", "db-mysql", "42", "172.16.0.1", "shop");

  @Test
  void sameApplicationOnTheVpnUsesTheVpnAddress() {
    assertThat(db.hostFor("shop", true)).isEqualTo("172.16.0.1");
  }

  @Test
  void otherwiseTheMastersEndpoint() {
    assertThat(db.hostFor("other", true)).isEqualTo("10.0.0.5");
    assertThat(db.hostFor("shop", false)).isEqualTo("10.0.0.5");
    assertThat(new Database("10.0.0.5", "3306", "u", "s", "1").hostFor("shop", true)).isEqualTo("10.0.0.5");
  }
}
