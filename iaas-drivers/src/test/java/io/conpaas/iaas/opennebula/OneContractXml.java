package io.conpaas.iaas.opennebula;

import java.util.Map;
import java.util.Set;

/**
 * What the contract server writes: VM documents (whole, or short as one.vmpool.info returns them
 * since OpenNebula 5.8) and XML-RPC answers in OpenNebula's [success, result, error code] form.
 */
final class OneContractXml {
  /** The user-template attributes the short (one.vmpool.info) VM body keeps. */
  private static final Set<String> SHORT_USER_ATTRIBUTES = Set.of("LABELS", "ERROR", "SCHED_MESSAGE", "SCHED_RANK",
      "SCHED_DS_RANK", "SCHED_REQUIREMENTS", "SCHED_DS_REQUIREMENTS", "USER_PRIORITY", "PUBLIC_CLOUD");

  private OneContractXml() {}

  /** A VM document; the short form is what one.vmpool.info returns since OpenNebula 5.8. */
  static String vmXml(OneContractVm vm, boolean full, String username) {
    StringBuilder x = new StringBuilder("<VM>")
        .append("<ID>").append(vm.id).append("</ID><UID>").append(vm.uid).append("</UID><GID>").append(vm.gid)
        .append("</GID><UNAME>").append(escape(vm.ownerName == null ? username : vm.ownerName))
        .append("</UNAME><GNAME>users</GNAME><NAME>").append(escape(vm.name)).append("</NAME>");
    if (full) {
      x.append("<PERMISSIONS><OWNER_U>1</OWNER_U><OWNER_M>1</OWNER_M><OWNER_A>0</OWNER_A><GROUP_U>0</GROUP_U>"
          + "<GROUP_M>0</GROUP_M><GROUP_A>0</GROUP_A><OTHER_U>0</OTHER_U><OTHER_M>0</OTHER_M><OTHER_A>0</OTHER_A>"
          + "</PERMISSIONS>");
    }
    x.append("<LAST_POLL>0</LAST_POLL><STATE>").append(vm.state).append("</STATE><LCM_STATE>").append(vm.lcmState)
        .append("</LCM_STATE>");
    if (full) {
      x.append("<PREV_STATE>").append(vm.state).append("</PREV_STATE><PREV_LCM_STATE>").append(vm.lcmState)
          .append("</PREV_LCM_STATE>");
    }
    x.append("<RESCHED>0</RESCHED><STIME>").append(vm.stime).append("</STIME><ETIME>").append(vm.etime)
        .append("</ETIME><DEPLOY_ID></DEPLOY_ID><MONITORING/><TEMPLATE>");
    for (OneTemplateParser.Attribute a : vm.template) {
      boolean shortKeeps = a.name().equals("CPU") || a.name().equals("MEMORY") || a.name().equals("NIC")
          || a.name().equals("DISK") || a.name().equals("GRAPHICS");
      if (full || shortKeeps) {
        attributeXml(x, a.name(), a.value(), a.vector());
      }
    }
    if (full) {
      x.append("<VMID>").append(cdata(Integer.toString(vm.id))).append("</VMID>");
    }
    x.append("</TEMPLATE>");
    boolean any = vm.userTemplate.keySet().stream().anyMatch(k -> full || SHORT_USER_ATTRIBUTES.contains(k));
    if (any) {
      x.append("<USER_TEMPLATE>");
      vm.userTemplate.forEach((k, v) -> {
        if (full || SHORT_USER_ATTRIBUTES.contains(k)) {
          attributeXml(x, k, v, null);
        }
      });
      x.append("</USER_TEMPLATE>");
    } else {
      x.append("<USER_TEMPLATE/>");
    }
    return x.append("<HISTORY_RECORDS/></VM>").toString();
  }

  private static void attributeXml(StringBuilder x, String name, String value, Map<String, String> vector) {
    x.append('<').append(name).append('>');
    if (vector != null) {
      vector.forEach((k, v) -> x.append('<').append(k).append('>').append(cdata(v)).append("</").append(k).append('>'));
    } else {
      x.append(cdata(value));
    }
    x.append("</").append(name).append('>');
  }

  private static String cdata(String value) {
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>";
  }

  // ---------------------------------------------------------------- XML-RPC answers

  static String success(String valueXml) {
    return response("<value><boolean>1</boolean></value>" + valueXml + "<value><i4>0</i4></value>");
  }

  static String failure(OneErrorCode code, String message) {
    return response("<value><boolean>0</boolean></value>" + string(message) + "<value><i4>" + code.code()
        + "</i4></value><value><i4>-1</i4></value>");
  }

  private static String response(String arrayValues) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<methodResponse>\r\n<params>\r\n"
        + "<param><value><array><data>\r\n" + arrayValues
        + "\r\n</data></array></value></param>\r\n</params>\r\n</methodResponse>\r\n";
  }

  static String fault(int code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<methodResponse>\r\n<fault>\r\n<value><struct>\r\n"
        + "<member><name>faultCode</name>\r\n<value><i4>" + code + "</i4></value></member>\r\n"
        + "<member><name>faultString</name>\r\n" + string(message) + "</member>\r\n"
        + "</struct></value>\r\n</fault>\r\n</methodResponse>\r\n";
  }

  static String string(String s) {
    return "<value><string>" + escape(s) + "</string></value>";
  }

  static String integer(int i) {
    return "<value><i4>" + i + "</i4></value>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;");
  }
}
