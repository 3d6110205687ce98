package io.conpaas.plugin;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Plain-text columns as kubectl prints them: upper-case headers, left aligned, three blanks apart. */
public final class TableWriter {
  /** What an empty or missing cell shows. */
  public static final String NONE = "-";
  private static final String GAP = "   ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TableWriter(String... headers) {
    this.headers = List.of(headers);
  }

  /** Adds a row; null or blank cells print as {@value #NONE}, line breaks as blanks. */
  public TableWriter row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + Arrays.toString(cells));
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      String s = c == null ? "" : ErrorMessages.oneLine(c.toString());
      row.add(s.isEmpty() ? NONE : s);
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The table as text, one line per row after the header line; the last column is not padded. */
  public String render() {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, headers, width);
    rows.forEach(r -> line(b, r, width));
    return b.toString();
  }

  public void print(PrintWriter out) {
    out.print(render());
    out.flush();
  }

  private static void line(StringBuilder b, List<String> cells, int[] width) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      b.append(c);
      if (i < cells.size() - 1) {
        b.append(" ".repeat(width[i] - c.length())).append(GAP);
      }
    }
    b.append('\n');
  }
}
