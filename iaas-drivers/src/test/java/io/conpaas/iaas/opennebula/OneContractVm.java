package io.conpaas.iaas.opennebula;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A VM as the contract server keeps it: mutable, guarded by the server's lock. */
final class OneContractVm {
  final int id;
  final String name;
  final String templateText;
  final long stime = Instant.now().getEpochSecond();
  final List<OneTemplateParser.Attribute> template = new ArrayList<>();
  final Map<String, String> userTemplate = new LinkedHashMap<>();
  /** Owner and group: the connecting user (1, group 1) unless a test made the VM as another user. */
  int uid = 1;
  int gid = 1;
  String ownerName;
  int state = OneStates.PENDING;
  int lcmState = OneStates.LCM_INIT;
  long etime;

  OneContractVm(int id, String name, String templateText) {
    this.id = id;
    this.name = name;
    this.templateText = templateText;
  }

  Optional<Map<String, String>> vector(String name) {
    return template.stream().filter(a -> a.isVector() && a.name().equals(name)).map(a -> a.vector()).findFirst();
  }
}
