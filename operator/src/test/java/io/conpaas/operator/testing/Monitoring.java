package io.conpaas.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chart's alert rules and dashboard queries, read from the plain files the chart embeds. */
public final class Monitoring {
  private static final Pattern THRESHOLD = Pattern.compile("^(.*?)\\s*(==|!=|>=|<=|>|<)\\s*[0-9.]+\\s*$",
      Pattern.DOTALL);
  private static final Pattern ABSENT = Pattern.compile("^absent\\((.*)\\)$", Pattern.DOTALL);

  private Monitoring() {}

  public static Path rulesFile() {
    return Helm.chart().resolve("files/prometheus-rules.yaml");
  }

  public static Path dashboardFile() {
    return Helm.chart().resolve("files/grafana-dashboard.json");
  }

  /** Alert name to expression, in file order. */
  public static Map<String, String> alerts() {
    Map<String, String> alerts = new LinkedHashMap<>();
    for (JsonNode group : read(new ObjectMapper(new YAMLFactory()), rulesFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts.put(rule.get("alert").asText(), rule.get("expr").asText().trim());
        }
      }
    }
    return alerts;
  }

  /** Every query of every dashboard panel, in panel order. */
  public static List<String> dashboardQueries() {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : read(new ObjectMapper(), dashboardFile()).path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.get("expr").asText());
      }
    }
    return queries;
  }

  /**
   * The series an alert judges, without its threshold: "x > 3" gives "x", "absent(x == 1)" gives
   * "x". On a healthy run the alert is quiet but this series must exist.
   */
  public static String series(String alertExpr) {
    String expr = alertExpr.trim();
    Matcher absent = ABSENT.matcher(expr);
    if (absent.matches()) {
      expr = absent.group(1).trim();
    }
    Matcher m = THRESHOLD.matcher(expr);
    if (!m.matches()) {
      throw new IllegalArgumentException("not \"<series> <comparison> <threshold>\": " + alertExpr);
    }
    return m.group(1);
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
