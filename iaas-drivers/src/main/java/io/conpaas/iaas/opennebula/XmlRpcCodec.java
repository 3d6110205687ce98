package io.conpaas.iaas.opennebula;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Encodes XML-RPC method calls (string, int and boolean parameters) and decodes responses.
 *
 * <p>Decoding yields only Strings, Integers, Booleans, Lists and Maps (fault structs): nothing
 * the server sends is ever turned into another Java type (the Apache XML-RPC CVE-2019-17570
 * lesson). Other scalar types (i8, double, dateTime, base64) come back as their raw text.
 */
final class XmlRpcCodec {
  private static final Pattern METHOD_NAME = Pattern.compile("[A-Za-z0-9_.:/]+");
  private static final int MAX_DEPTH = 16;

  /** A decoded methodResponse: a value, or a fault code and string. */
  record Response(Object value, int faultCode, String faultString, boolean fault) {
    static Response ofValue(Object value) {
      return new Response(value, 0, null, false);
    }
  }

  /** The response is well-formed XML but not an XML-RPC answer we understand. */
  static final class MalformedResponseException extends Exception {
    MalformedResponseException(String message) {
      super(message);
    }
  }

  private XmlRpcCodec() {}

  static byte[] encodeCall(String method, List<?> params) {
    if (!METHOD_NAME.matcher(method).matches()) {
      throw new IllegalArgumentException("not an XML-RPC method name: " + method);
    }
    StringBuilder xml = new StringBuilder(256)
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<methodCall><methodName>").append(method)
        .append("</methodName><params>");
    for (Object p : params) {
      xml.append("<param><value>");
      if (p instanceof String s) {
        xml.append("<string>");
        appendEscaped(xml, s);
        xml.append("</string>");
      } else if (p instanceof Integer i) {
        xml.append("<i4>").append(i).append("</i4>");
      } else if (p instanceof Boolean b) {
        xml.append("<boolean>").append(b ? '1' : '0').append("</boolean>");
      } else {
        // Never name the value: parameters include the session string.
        throw new IllegalArgumentException("unsupported XML-RPC parameter type "
            + (p == null ? "null" : p.getClass().getSimpleName()));
      }
      xml.append("</value></param>");
    }
    return xml.append("</params></methodCall>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendEscaped(StringBuilder xml, String s) {
    s.codePoints().forEach(c -> {
      switch (c) {
        case '&' -> xml.append("&amp;");
        case '<' -> xml.append("&lt;");
        case '>' -> xml.append("&gt;");
        // A literal CR would reach the server as LF (XML end-of-line handling): keep it as a reference.
        case '\r' -> xml.append("&#13;");
        default -> {
          if (!isXmlChar(c)) {
            throw new IllegalArgumentException("a string parameter holds a character XML 1.0 cannot carry (U+"
                + Integer.toHexString(c) + ")");
          }
          xml.appendCodePoint(c);
        }
      }
    });
  }

  static boolean isXmlChar(int c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  static Response decodeResponse(byte[] body) throws SafeXml.RejectedXmlException, MalformedResponseException {
    Document doc = SafeXml.parse(body);
    Element root = doc.getDocumentElement();
    if (!root.getTagName().equals("methodResponse")) {
      throw new MalformedResponseException("root element is " + root.getTagName() + ", not methodResponse");
    }
    Element fault = SafeXml.child(root, "fault").orElse(null);
    if (fault != null) {
      Object v = value(single(fault, "value"), 0);
      if (!(v instanceof Map<?, ?> struct)) {
        throw new MalformedResponseException("fault without a struct");
      }
      Object code = struct.get("faultCode");
      Object text = struct.get("faultString");
      return new Response(null, code instanceof Integer i ? i : 0, text == null ? "" : text.toString(), true);
    }
    Element params = single(root, "params");
    Element param = single(params, "param");
    return Response.ofValue(value(single(param, "value"), 0));
  }

  private static Element single(Element parent, String name) throws MalformedResponseException {
    List<Element> found = SafeXml.children(parent, name);
    if (found.size() != 1) {
      throw new MalformedResponseException(parent.getTagName() + " has " + found.size() + " " + name
          + " elements, expected 1");
    }
    return found.get(0);
  }

  private static Object value(Element value, int depth) throws MalformedResponseException {
    if (depth > MAX_DEPTH) {
      throw new MalformedResponseException("values nested deeper than " + MAX_DEPTH);
    }
    List<Element> typed = SafeXml.children(value);
    if (typed.isEmpty()) {
      return value.getTextContent(); // an untyped value is a string
    }
    if (typed.size() != 1) {
      throw new MalformedResponseException("a value holds " + typed.size() + " elements");
    }
    Element t = typed.get(0);
    String text = t.getTextContent();
    switch (t.getTagName()) {
      case "string":
        return text;
      case "i4":
      case "int":
        try {
          return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
          throw new MalformedResponseException("not an int: " + abbreviate(text));
        }
      case "boolean":
        return switch (text.trim()) {
          case "1", "true" -> Boolean.TRUE;
          case "0", "false" -> Boolean.FALSE;
          default -> throw new MalformedResponseException("not a boolean: " + abbreviate(text));
        };
      case "array": {
        List<Object> items = new ArrayList<>();
        for (Element v : SafeXml.children(single(t, "data"), "value")) {
          items.add(value(v, depth + 1));
        }
        return items;
      }
      case "struct": {
        Map<String, Object> members = new LinkedHashMap<>();
        for (Element m : SafeXml.children(t, "member")) {
          members.put(single(m, "name").getTextContent(), value(single(m, "value"), depth + 1));
        }
        return members;
      }
      case "nil":
        return null;
      default:
        return text;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
