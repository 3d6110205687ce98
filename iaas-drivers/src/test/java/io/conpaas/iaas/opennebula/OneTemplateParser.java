package io.conpaas.iaas.opennebula;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads OpenNebula template text the way OpenNebula's own lexer and grammar do (src/parsers/
 * template_parser.l and template_syntax.y): attribute names upper-cased; a quoted value ends at the
 * first '"' not preceded by a backslash and only {@code \"} is unescaped; an unquoted value runs
 * up to a blank, newline, ',', '=', '#', '[' or ']'; lines starting with '#' are comments.
 * Written independently of {@link OneTemplate} so that the contract server checks its output.
 */
public final class OneTemplateParser {
  /** A single attribute (value set) or a vector attribute (vector set). */
  public record Attribute(String name, String value, Map<String, String> vector) {
    public boolean isVector() {
      return vector != null;
    }
  }

  private final String s;
  private int pos;

  private OneTemplateParser(String text) {
    this.s = text;
  }

  public static List<Attribute> parse(String text) {
    return new OneTemplateParser(text).template();
  }

  private List<Attribute> template() {
    List<Attribute> attributes = new ArrayList<>();
    while (true) {
      skipBlanksAndComments();
      if (pos >= s.length()) {
        return attributes;
      }
      String name = variable();
      skipBlanks();
      expect('=');
      skipBlanks();
      if (pos >= s.length() || s.charAt(pos) == '\n') {
        attributes.add(new Attribute(name, "", null));
      } else if (s.charAt(pos) == '[') {
        pos++;
        attributes.add(new Attribute(name, null, vector()));
      } else {
        attributes.add(new Attribute(name, value(), null));
      }
    }
  }

  private Map<String, String> vector() {
    Map<String, String> values = new LinkedHashMap<>();
    skipBlanksAndNewlines();
    if (peek() == ']') {
      pos++;
      return values;
    }
    while (true) {
      String key = variable();
      skipBlanks();
      expect('=');
      skipBlanks();
      // A repeated key keeps its first value (OpenNebula inserts into a std::map).
      values.putIfAbsent(key, value());
      skipBlanksAndNewlines();
      char c = peek();
      pos++;
      if (c == ']') {
        return values;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
      skipBlanksAndNewlines();
    }
  }

  private String value() {
    int lineEnd = s.indexOf('\n', pos);
    if (s.substring(pos, lineEnd < 0 ? s.length() : lineEnd).contains("]]>")) {
      throw error("CDATA end in a value");
    }
    if (peek() == '"') {
      int end = -1;
      for (int j = pos + 1; j < s.length(); j++) {
        if (s.charAt(j) == '"' && s.charAt(j - 1) != '\\') {
          end = j;
          break;
        }
      }
      if (end < 0) {
        end = s.lastIndexOf('"');
        if (end <= pos) {
          throw error("unterminated quoted value");
        }
      }
      String body = s.substring(pos + 1, end);
      pos = end + 1;
      return body.replace("\\\"", "\"");
    }
    int start = pos;
    while (pos < s.length() && "=# \t\n,[]".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a value");
    }
    return s.substring(start, pos);
  }

  private String variable() {
    int start = pos;
    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) && s.charAt(pos) < 128
        || s.charAt(pos) == '_')) {
      pos++;
    }
    if (pos == start) {
      throw error("expected an attribute name");
    }
    return s.substring(start, pos).toUpperCase(Locale.ROOT);
  }

  private void skipBlanksAndComments() {
    while (pos < s.length()) {
      int p = pos;
      while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
        p++;
      }
      if (p < s.length() && s.charAt(p) == '#') {
        int nl = s.indexOf('\n', p);
        pos = nl < 0 ? s.length() : nl + 1;
      } else if (p < s.length() && s.charAt(p) == '\n') {
        pos = p + 1;
      } else {
        pos = p;
        return;
      }
    }
  }

  private void skipBlanks() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private void skipBlanksAndNewlines() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n')) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= s.length()) {
      throw error("unexpected end of template");
    }
    return s.charAt(pos);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("syntax error at offset " + pos + ": " + what);
  }
}
