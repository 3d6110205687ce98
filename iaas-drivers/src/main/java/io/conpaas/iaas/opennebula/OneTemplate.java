package io.conpaas.iaas.opennebula;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds OpenNebula template text: one {@code NAME = "value"} line per attribute and
 * {@code NAME = [ KEY = "value", ... ]} for vector attributes, every value double-quoted.
 *
 * <p>OpenNebula's template lexer ends a quoted value at the first '"' not preceded by a backslash
 * and then turns each {@code \"} back into '"'; no other escape exists. So a '"' is written as
 * {@code \"}, every other character (backslashes and newlines included) as itself, and the two
 * values the syntax cannot carry are refused: one ending in a backslash (it would swallow the
 * closing quote) and one containing "]]>" (the lexer's CDATA rule).
 */
final class OneTemplate {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final StringBuilder text = new StringBuilder();

  OneTemplate single(String name, String value) {
    text.append(checkedName(name)).append(" = ").append(quote(value)).append('\n');
    return this;
  }

  /** A vector attribute; entries are written in the map's iteration order. */
  OneTemplate vector(String name, Map<String, String> values) {
    text.append(checkedName(name)).append(" = [\n");
    int i = 0;
    for (Map.Entry<String, String> e : values.entrySet()) {
      text.append("  ").append(checkedName(e.getKey())).append(" = ").append(quote(e.getValue()))
          .append(++i < values.size() ? ",\n" : "\n");
    }
    text.append("]\n");
    return this;
  }

  String text() {
    return text.toString();
  }

  /** The value in double quotes, escaped for OpenNebula's template syntax. */
  static String quote(String value) {
    if (value == null) {
      throw new IllegalArgumentException("template values cannot be null");
    }
    if (value.endsWith("\\")) {
      throw new IllegalArgumentException("OpenNebula's template syntax cannot carry a value ending in a backslash");
    }
    if (value.contains("]]>")) {
      throw new IllegalArgumentException("OpenNebula's template syntax cannot carry a value containing ]]>");
    }
    if (value.chars().anyMatch(c -> c == 0)) {
      throw new IllegalArgumentException("template values cannot contain NUL");
    }
    return "\"" + value.replace("\"", "\\\"") + "\"";
  }

  private static String checkedName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not an OpenNebula attribute name: " + name);
    }
    return name;
  }
}
