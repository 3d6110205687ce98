package io.conpaas.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The -o/--output option and the one place where objects are printed: a table, or the objects
 * themselves as YAML or JSON (without managedFields, as kubectl shows them).
 */
public final class Output {
  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format = OutputFormat.table;

  /** Prints {@code items} as a v1 List in YAML/JSON, else the table (or {@code empty} on stderr when there are none). */
  public void printList(PrintWriter out, PrintWriter err, List<? extends HasMetadata> items,
      Supplier<TableWriter> table, String empty) {
    switch (format) {
      case yaml, json -> {
        // Not KubernetesListBuilder: it needs a builder class for each item's type, which CRD classes lack.
        KubernetesList list = new KubernetesList();
        list.setApiVersion("v1");
        list.setKind("List");
        list.setItems(items.stream().map(Output::withoutManagedFields).map(HasMetadata.class::cast).toList());
        print(out, list);
      }
      default -> {
        if (items.isEmpty()) {
          err.println(empty);
          err.flush();
        } else {
          table.get().print(out);
        }
      }
    }
  }

  /** Prints one object as YAML/JSON, else the line {@code text}. */
  public void printObject(PrintWriter out, HasMetadata item, String text) {
    if (format == OutputFormat.table) {
      out.println(text);
      out.flush();
    } else {
      print(out, withoutManagedFields(item));
    }
  }

  /** True when a table (not YAML or JSON) is asked for. */
  public boolean isTable() {
    return format == OutputFormat.table;
  }

  /** Prints {@code data}, a value that is no Kubernetes object (e.g. a list of maps), as YAML or JSON. */
  public void printData(PrintWriter out, Object data) {
    print(out, data);
  }

  private void print(PrintWriter out, Object o) {
    String s;
    try {
      s = format == OutputFormat.json
          ? Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o)
          : Serialization.asYaml(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.print(s.endsWith("\n") ? s : s + "\n");
    out.flush();
  }

  private static <T extends HasMetadata> T withoutManagedFields(T o) {
    if (o.getMetadata() == null || o.getMetadata().getManagedFields() == null
        || o.getMetadata().getManagedFields().isEmpty()) {
      return o;
    }
    T copy = Serialization.clone(o);
    copy.getMetadata().setManagedFields(null);
    return copy;
  }
}
