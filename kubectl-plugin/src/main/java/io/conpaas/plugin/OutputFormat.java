package io.conpaas.plugin;

/** How a command prints objects: a table for people, YAML or JSON for tools. */
public enum OutputFormat {
  table, yaml, json
}
