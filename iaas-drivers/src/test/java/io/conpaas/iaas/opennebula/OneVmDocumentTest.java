package io.conpaas.iaas.opennebula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing VM and VM_POOL documents shaped like OpenNebula's (CDATA values, several NICs, vector attributes). */
class OneVmDocumentTest {
  private static String resource(String name) throws Exception {
    try (InputStream in = OneVmDocumentTest.class.getResourceAsStream("/opennebula/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsAVmDocument() throws Exception {
    OneVmDocument.OneVm vm = OneVmDocument.parseVm(resource("vm-running.xml"));

    assertThat(vm.id()).isEqualTo(42);
    assertThat(vm.name()).isEqualTo("wp-web-backend-0-1a2b3c4d");
    assertThat(vm.state()).isEqualTo(OneStates.ACTIVE);
    assertThat(vm.lcmState()).isEqualTo(OneStates.RUNNING);
    assertThat(vm.startTime()).isEqualTo(1718000000L);
    assertThat(vm.firstAddress()).contains("192.0.2.42");
    assertThat(vm.nics()).hasSize(2);
    assertThat(vm.context()).containsEntry("NETWORK", "YES")
        .containsEntry("CONPAAS_CONTEXT", "eyJhZ2VudE5hbWUiOiJ3cC13ZWItYmFja2VuZC0wIn0=");
    assertThat(vm.userTemplate()).containsEntry("CONPAAS_CLUSTER", "c1").containsEntry("LABELS", "conpaas")
        .doesNotContainKey("SCHED_ACTION");
  }

  @Test
  void readsAPoolAndAnEmptyPool() throws Exception {
    String vm = resource("vm-running.xml");
    List<OneVmDocument.OneVm> vms = OneVmDocument.parsePool("<VM_POOL>" + vm + vm.replace("<ID>42</ID>",
        "<ID>43</ID>") + "</VM_POOL>");

    assertThat(vms).extracting(OneVmDocument.OneVm::id).containsExactly(42, 43);
    assertThat(OneVmDocument.parsePool("<VM_POOL/>")).isEmpty();
  }

  @Test
  void prefersIpv4ThenGlobalIpv6() throws Exception {
    String v6only = "<VM><ID>1</ID><NAME>x</NAME><STATE>3</STATE><LCM_STATE>3</LCM_STATE><STIME>1</STIME>"
        + "<TEMPLATE><NIC><IP6_LINK>fe80::1</IP6_LINK><IP6_GLOBAL>2001:db8::7</IP6_GLOBAL></NIC></TEMPLATE>"
        + "<USER_TEMPLATE/></VM>";

    assertThat(OneVmDocument.parseVm(v6only).firstAddress()).contains("2001:db8::7");
  }

  @Test
  void refusesDocumentsItCannotRead() {
    assertThatThrownBy(() -> OneVmDocument.parseVm("<VM_POOL/>"))
        .isInstanceOf(OneVmDocument.UnreadableDocumentException.class);
    assertThatThrownBy(() -> OneVmDocument.parseVm("<VM><ID>x</ID><STATE>1</STATE><LCM_STATE>0</LCM_STATE></VM>"))
        .isInstanceOf(OneVmDocument.UnreadableDocumentException.class);
    assertThatThrownBy(() -> OneVmDocument.parseVm("<VM><ID>1</ID></VM>"))
        .isInstanceOf(OneVmDocument.UnreadableDocumentException.class);
    assertThatThrownBy(() -> OneVmDocument.parsePool("<!DOCTYPE VM_POOL [<!ENTITY e \"x\">]><VM_POOL>&e;</VM_POOL>"))
        .isInstanceOf(OneVmDocument.UnreadableDocumentException.class);
  }
}
