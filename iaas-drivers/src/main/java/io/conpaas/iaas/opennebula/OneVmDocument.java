package io.conpaas.iaas.opennebula;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Parses OpenNebula's VM and VM_POOL XML documents (the strings one.vm.info and one.vmpool.info
 * return) into plain records holding only what the driver reads.
 */
final class OneVmDocument {
  /**
   * One VM: ID, NAME, STATE, LCM_STATE, STIME (epoch seconds), the TEMPLATE's NICs and CONTEXT,
   * and the USER_TEMPLATE's single-valued attributes.
   */
  record OneVm(int id, String name, int state, int lcmState, long startTime, List<Map<String, String>> nics,
      Map<String, String> context, Map<String, String> userTemplate) {

    OneVm {
      nics = nics.stream().map(Map::copyOf).toList();
      context = Map.copyOf(context);
      userTemplate = Map.copyOf(userTemplate);
    }

    /** The first NIC address: IPv4, else global IPv6, else any IPv6. */
    Optional<String> firstAddress() {
      for (String key : List.of("IP", "IP6_GLOBAL", "IP6")) {
        for (Map<String, String> nic : nics) {
          String ip = nic.get(key);
          if (ip != null && !ip.isBlank()) {
            return Optional.of(ip.trim());
          }
        }
      }
      return Optional.empty();
    }
  }

  /** The document is not a VM / VM_POOL document we can read. */
  static final class UnreadableDocumentException extends Exception {
    UnreadableDocumentException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private OneVmDocument() {}

  static OneVm parseVm(String xml) throws UnreadableDocumentException {
    Element root = root(xml);
    if (!root.getTagName().equals("VM")) {
      throw new UnreadableDocumentException("expected a VM document, got " + root.getTagName(), null);
    }
    return vm(root);
  }

  static List<OneVm> parsePool(String xml) throws UnreadableDocumentException {
    Element root = root(xml);
    if (!root.getTagName().equals("VM_POOL")) {
      throw new UnreadableDocumentException("expected a VM_POOL document, got " + root.getTagName(), null);
    }
    List<OneVm> vms = new ArrayList<>();
    for (Element vm : SafeXml.children(root, "VM")) {
      vms.add(vm(vm));
    }
    return vms;
  }

  private static Element root(String xml) throws UnreadableDocumentException {
    try {
      Document doc = SafeXml.parse(xml);
      return doc.getDocumentElement();
    } catch (SafeXml.RejectedXmlException e) {
      throw new UnreadableDocumentException(e.getMessage(), e);
    }
  }

  private static OneVm vm(Element vm) throws UnreadableDocumentException {
    Optional<Element> template = SafeXml.child(vm, "TEMPLATE");
    List<Map<String, String>> nics = new ArrayList<>();
    Map<String, String> context = Map.of();
    if (template.isPresent()) {
      for (Element nic : SafeXml.children(template.get(), "NIC")) {
        nics.add(singleValued(nic));
      }
      context = SafeXml.child(template.get(), "CONTEXT").map(OneVmDocument::singleValued).orElse(Map.of());
    }
    Map<String, String> userTemplate = SafeXml.child(vm, "USER_TEMPLATE").map(OneVmDocument::singleValued)
        .orElse(Map.of());
    return new OneVm(number(vm, "ID", true).intValue(), SafeXml.childText(vm, "NAME").orElse(""),
        number(vm, "STATE", true).intValue(), number(vm, "LCM_STATE", true).intValue(),
        number(vm, "STIME", false), nics, context, userTemplate);
  }

  /** The text of the element children that have no children of their own (vector attributes skipped). */
  private static Map<String, String> singleValued(Element parent) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Element e : SafeXml.children(parent)) {
      if (SafeXml.children(e).isEmpty()) {
        values.putIfAbsent(e.getTagName(), e.getTextContent());
      }
    }
    return values;
  }

  private static Long number(Element vm, String name, boolean required) throws UnreadableDocumentException {
    Optional<String> text = SafeXml.childText(vm, name).map(String::trim).filter(s -> !s.isEmpty());
    if (text.isEmpty()) {
      if (required) {
        throw new UnreadableDocumentException("VM without " + name, null);
      }
      return 0L;
    }
    try {
      return Long.parseLong(text.get());
    } catch (NumberFormatException e) {
      throw new UnreadableDocumentException("VM " + name + " is not a number", e);
    }
  }
}
