package io.conpaas.iaas.opennebula;

import static io.conpaas.iaas.opennebula.OneContractXml.escape;
import static io.conpaas.iaas.opennebula.OneContractXml.failure;
import static io.conpaas.iaas.opennebula.OneContractXml.fault;
import static io.conpaas.iaas.opennebula.OneContractXml.integer;
import static io.conpaas.iaas.opennebula.OneContractXml.string;
import static io.conpaas.iaas.opennebula.OneContractXml.success;
import static io.conpaas.iaas.opennebula.OneContractXml.vmXml;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.w3c.dom.Element;


/**
 * An OpenNebula XML-RPC endpoint for tests on 127.0.0.1: it answers one.system.version,
 * one.user.info, one.vm.allocate, one.template.instantiate, one.vm.info, one.vm.action,
 * one.vmpool.info and one.vmpool.infoextended as OpenNebula's XML-RPC reference documents them
 * ([success, result, error code] arrays; VM and VM_POOL documents; one.vmpool.info with the short
 * VM bodies of OpenNebula 5.8+), checks parameter types and the session string, keeps VMs in
 * memory and counts calls per method. Tests move VMs between states, set user-template attributes
 * and read the stored VMs, whose CONTEXT a test rig can boot an agent from.
 */
public final class OneContractServer implements AutoCloseable {
  public static final String VERSION = "6.10.0";
  /** xmlrpc-c's fault codes for a parameter type mismatch and an unknown method. */
  static final int FAULT_TYPE_ERROR = -501;
  static final int FAULT_NO_SUCH_METHOD = -506;

  /** Attributes OpenNebula keeps in a VM's TEMPLATE; all others go to its USER_TEMPLATE. */
  private static final Set<String> SYSTEM_ATTRIBUTES = Set.of("CPU", "VCPU", "MEMORY", "DISK", "NIC", "NIC_ALIAS",
      "CONTEXT", "OS", "GRAPHICS", "FEATURES", "INPUT", "RAW", "PCI", "CPU_MODEL", "TOPOLOGY");

  /**
   * A stored VM as tests see it: the template text it was made from, its TEMPLATE attributes (with
   * CONTEXT as a map of its own), its USER_TEMPLATE and the address of its first NIC.
   */
  public record StoredVm(int id, String name, int state, int lcmState, String templateText,
      List<OneTemplateParser.Attribute> template, Map<String, String> context, Map<String, String> userTemplate,
      String ip) {
    /** A single-valued TEMPLATE attribute (CPU, MEMORY, ...). */
    public Optional<String> templateValue(String name) {
      return template.stream().filter(a -> !a.isVector() && a.name().equals(name)).map(a -> a.value()).findFirst();
    }

    /** The first vector TEMPLATE attribute of that name (NIC, DISK, ...). */
    public Optional<Map<String, String>> templateVector(String name) {
      return template.stream().filter(a -> a.isVector() && a.name().equals(name)).map(a -> a.vector()).findFirst();
    }

    /** The decoded CONPAAS_CONTEXT attribute: the contextualization document the VM boots with. */
    public byte[] contextualization() {
      String b64 = context.get(OpenNebulaDriver.CONTEXT_ATTRIBUTE);
      return b64 == null ? null : Base64.getDecoder().decode(b64);
    }

    public String instanceId() {
      return Integer.toString(id);
    }
  }

  /**
   * Told about VMs as OpenNebula would start and stop them, so that a test rig can boot an agent
   * from a new VM's contextualization (then call {@link #running} and {@link #setUserAttribute}
   * with the agent's endpoint) and stop it again. Called outside the server's lock, after the
   * answer is decided.
   */
  public interface Listener {
    default void allocated(StoredVm vm) {}

    default void terminated(StoredVm vm) {}
  }

  private final HttpServer server;
  private final String session;
  private final String username;
  private final Map<Integer, OneContractVm> vms = new TreeMap<>();
  private final Map<Integer, String> templates = new TreeMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Deque<String> rawAnswers = new ArrayDeque<>();
  private final List<String> actions = new ArrayList<>();
  private final List<Runnable> events = new ArrayList<>();
  private volatile Listener listener = new Listener() {};
  private int nextId;
  private int nextHost = 10;
  private boolean before58;

  private OneContractServer(String username, String password) throws IOException {
    this.username = username;
    this.session = username + ":" + password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/RPC2", this::handle);
    server.start();
  }

  public static OneContractServer start(String username, String password) throws IOException {
    return new OneContractServer(username, password);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/RPC2");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---------------------------------------------------------------- test controls

  /** How often a method was called (authenticated or not). */
  public int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  public void resetCalls() {
    calls.clear();
  }

  /** Registers a VM template for one.template.instantiate, in OpenNebula's template syntax. */
  public synchronized void addTemplate(int id, String text) {
    OneTemplateParser.parse(text);
    templates.put(id, text);
  }

  /** Behaves like OpenNebula before 5.8: no one.vmpool.infoextended, whole VM bodies in one.vmpool.info. */
  public synchronized void emulateBefore58(boolean on) {
    before58 = on;
  }

  /** The next request, whatever it is, gets this raw HTTP body. */
  public synchronized void answerNextWith(String rawBody) {
    rawAnswers.add(rawBody);
  }

  public void setListener(Listener listener) {
    this.listener = listener;
  }

  /** Every one.vm.action request that passed authentication, as "action id", in order. */
  public synchronized List<String> actions() {
    return List.copyOf(actions);
  }

  public synchronized List<StoredVm> vms() {
    return vms.values().stream().map(OneContractServer::stored).toList();
  }

  public synchronized Optional<StoredVm> vm(int id) {
    return Optional.ofNullable(vms.get(id)).map(OneContractServer::stored);
  }

  public Optional<StoredVm> vm(String instanceId) {
    return vm(Integer.parseInt(instanceId));
  }

  public synchronized void setState(int id, int state, int lcmState) {
    OneContractVm vm = existing(id);
    vm.state = state;
    vm.lcmState = lcmState;
    if (state == OneStates.DONE) {
      vm.etime = Instant.now().getEpochSecond();
    }
  }

  /** ACTIVE/RUNNING, with this address on the first NIC (one is added if the VM has none). */
  public synchronized void running(int id, String ip) {
    OneContractVm vm = existing(id);
    if (vm.vector("NIC").isEmpty()) {
      vm.template.add(new OneTemplateParser.Attribute("NIC", null, new LinkedHashMap<>(Map.of("NIC_ID", "0"))));
    }
    vm.vector("NIC").orElseThrow().put("IP", ip);
    setState(id, OneStates.ACTIVE, OneStates.RUNNING);
  }

  public void bootFailure(int id) {
    setState(id, OneStates.ACTIVE, OneStates.BOOT_FAILURE);
  }

  public void done(int id) {
    setState(id, OneStates.DONE, OneStates.LCM_INIT);
  }

  /**
   * A running VM owned by another user of the same group (uid 2, "other-team"), with these
   * USER_TEMPLATE attributes: the pool shows it for filters -2, -1 and -4, not for -3. Returns its id.
   */
  public synchronized int addVmOfAnotherUser(String name, Map<String, String> userTemplate) {
    OneContractVm vm = new OneContractVm(nextId++, name, "NAME=\"" + name + "\"");
    vm.uid = 2;
    vm.ownerName = "other-team";
    vm.userTemplate.putAll(userTemplate);
    vm.state = OneStates.ACTIVE;
    vm.lcmState = OneStates.RUNNING;
    vms.put(vm.id, vm);
    return vm.id;
  }

  public synchronized void setUserAttribute(int id, String name, String value) {
    existing(id).userTemplate.put(name, value);
  }

  private OneContractVm existing(int id) {
    OneContractVm vm = vms.get(id);
    if (vm == null) {
      throw new IllegalArgumentException("no VM " + id);
    }
    return vm;
  }

  private static StoredVm stored(OneContractVm vm) {
    Map<String, String> context = vm.vector("CONTEXT").map(Map::copyOf).orElse(Map.of());
    String ip = vm.vector("NIC").map(n -> n.get("IP")).orElse(null);
    List<OneTemplateParser.Attribute> template = vm.template.stream()
        .map(a -> new OneTemplateParser.Attribute(a.name(), a.value(), a.isVector() ? Map.copyOf(a.vector()) : null))
        .toList();
    return new StoredVm(vm.id, vm.name, vm.state, vm.lcmState, vm.templateText, template, context,
        Map.copyOf(vm.userTemplate), ip);
  }

  // ---------------------------------------------------------------- HTTP and XML-RPC

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String answer;
      synchronized (this) {
        answer = rawAnswers.poll();
      }
      if (answer == null) {
        answer = answer(body);
      }
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      send(exchange, 200, answer);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private String answer(byte[] body) {
    String method;
    List<Object> params = new ArrayList<>();
    try {
      Element root = SafeXml.parse(body).getDocumentElement();
      method = SafeXml.childText(root, "methodName").orElseThrow().trim();
      for (Element param : SafeXml.child(root, "params").map(SafeXml::children).orElse(List.of())) {
        params.add(param(SafeXml.child(param, "value").orElseThrow()));
      }
    } catch (SafeXml.RejectedXmlException | RuntimeException e) {
      return fault(-503, "XML-RPC parse error: " + e.getMessage());
    }
    calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    String answer;
    List<Runnable> happened;
    synchronized (this) {
      answer = dispatch(method, params);
      happened = List.copyOf(events);
      events.clear();
    }
    happened.forEach(Runnable::run);
    return answer;
  }

  private static Object param(Element value) {
    List<Element> typed = SafeXml.children(value);
    if (typed.isEmpty()) {
      return value.getTextContent();
    }
    Element t = typed.get(0);
    return switch (t.getTagName()) {
      case "string" -> t.getTextContent();
      case "i4", "int" -> Integer.parseInt(t.getTextContent().trim());
      case "boolean" -> "1".equals(t.getTextContent().trim());
      default -> throw new IllegalArgumentException("unsupported parameter type " + t.getTagName());
    };
  }

  /** Parameter types as xmlrpc-c signatures: s string, i int, b boolean; the session is the first s. */
  private static final Map<String, List<String>> SIGNATURES = Map.of(
      "one.system.version", List.of("s"),
      "one.user.info", List.of("si", "sib"),
      "one.vm.allocate", List.of("ss", "ssb"),
      "one.template.instantiate", List.of("sisbs", "sisbsb"),
      "one.vm.info", List.of("si", "sib"),
      "one.vm.action", List.of("ssi"),
      "one.vmpool.info", List.of("siiii", "siiiis"),
      "one.vmpool.infoextended", List.of("siiii", "siiiis"));

  private String dispatch(String method, List<Object> p) {
    List<String> signatures = SIGNATURES.get(method);
    if (signatures == null || before58 && method.equals("one.vmpool.infoextended")) {
      return fault(FAULT_NO_SUCH_METHOD, "Requested method '" + method + "' not defined");
    }
    String signature = p.stream().map(o -> o instanceof String ? "s" : o instanceof Integer ? "i" : "b")
        .collect(Collectors.joining());
    if (!signatures.contains(signature)) {
      return fault(FAULT_TYPE_ERROR, "Expected parameters " + signatures + ", got " + signature);
    }
    if (!session.equals(p.get(0))) {
      return failure(OneErrorCode.AUTHENTICATION, "[" + method + "] User couldn't be authenticated, aborting call.");
    }
    return switch (method) {
      case "one.system.version" -> success(string(VERSION));
      case "one.user.info" -> userInfo((Integer) p.get(1));
      case "one.vm.allocate" -> allocate((String) p.get(1), p.size() > 2 && (Boolean) p.get(2));
      case "one.template.instantiate" -> instantiate((Integer) p.get(1), (String) p.get(2), (Boolean) p.get(3),
          (String) p.get(4));
      case "one.vm.info" -> vmInfo((Integer) p.get(1));
      case "one.vm.action" -> action((String) p.get(1), (Integer) p.get(2));
      default -> pool((Integer) p.get(1), (Integer) p.get(2), (Integer) p.get(3), (Integer) p.get(4),
          method.equals("one.vmpool.infoextended") || before58);
    };
  }

  private String userInfo(int id) {
    if (id != -1 && id != 1) {
      return failure(OneErrorCode.NO_EXISTS, "[one.user.info] Error getting user [" + id + "].");
    }
    return success(string("<USER><ID>1</ID><GID>1</GID><GROUPS><ID>1</ID></GROUPS><GNAME>users</GNAME><NAME>"
        + escape(username) + "</NAME><PASSWORD>****</PASSWORD><AUTH_DRIVER>core</AUTH_DRIVER><ENABLED>1</ENABLED>"
        + "<TEMPLATE/></USER>"));
  }

  private String allocate(String text, boolean hold) {
    List<OneTemplateParser.Attribute> attributes;
    try {
      attributes = OneTemplateParser.parse(text);
    } catch (IllegalArgumentException e) {
      return failure(OneErrorCode.ALLOCATE, "[one.vm.allocate] Parse error: " + e.getMessage());
    }
    return create(attributes, null, text, hold, "one.vm.allocate");
  }

  private String instantiate(int templateId, String name, boolean hold, String extra) {
    String base = templates.get(templateId);
    if (base == null) {
      return failure(OneErrorCode.NO_EXISTS, "[one.template.instantiate] Error getting template [" + templateId
          + "].");
    }
    List<OneTemplateParser.Attribute> attributes = new ArrayList<>(OneTemplateParser.parse(base));
    String templateName = attributes.stream().filter(a -> a.name().equals("NAME")).map(a -> a.value()).findFirst()
        .orElse("template");
    attributes.removeIf(a -> a.name().equals("NAME"));
    if (!extra.isEmpty()) {
      List<OneTemplateParser.Attribute> more;
      try {
        more = OneTemplateParser.parse(extra);
      } catch (IllegalArgumentException e) {
        return failure(OneErrorCode.ALLOCATE, "[one.template.instantiate] Parse error: " + e.getMessage());
      }
      // Declaring an attribute in the extra template replaces the template's attribute of that name.
      Set<String> replaced = more.stream().map(a -> a.name()).collect(Collectors.toSet());
      attributes.removeIf(a -> replaced.contains(a.name()));
      attributes.addAll(more);
    }
    String vmName = name.isEmpty() ? templateName + "-" + nextId : name;
    return create(attributes, vmName, base + "\n" + extra, hold, "one.template.instantiate");
  }

  private String create(List<OneTemplateParser.Attribute> attributes, String givenName, String text, boolean hold,
      String method) {
    for (String required : List.of("CPU", "MEMORY")) {
      if (attributes.stream().noneMatch(a -> a.name().equals(required))) {
        return failure(OneErrorCode.ALLOCATE, "[" + method + "] No " + required + " in template.");
      }
    }
    int id = nextId++;
    String name = givenName != null ? givenName : attributes.stream().filter(a -> a.name().equals("NAME"))
        .map(a -> a.value()).findFirst().orElse("one-" + id);
    OneContractVm vm = new OneContractVm(id, name, text);
    for (OneTemplateParser.Attribute a : attributes) {
      if (a.name().equals("NAME")) {
        continue;
      }
      if (SYSTEM_ATTRIBUTES.contains(a.name())) {
        Map<String, String> vector = a.isVector() ? new LinkedHashMap<>(a.vector()) : null;
        if (a.name().equals("NIC") && vector != null) {
          // Addresses are leased from the virtual network when the VM is allocated.
          vector.put("NIC_ID", Long.toString(vm.template.stream().filter(x -> x.name().equals("NIC")).count()));
          vector.put("IP", "10.0.0." + nextHost++);
        }
        vm.template.add(new OneTemplateParser.Attribute(a.name(), a.value(), vector));
      } else if (!a.isVector()) {
        vm.userTemplate.put(a.name(), a.value());
      }
    }
    vm.state = hold ? OneStates.HOLD : OneStates.PENDING;
    vms.put(id, vm);
    StoredVm allocated = stored(vm);
    events.add(() -> listener.allocated(allocated));
    return success(integer(id));
  }

  private String vmInfo(int id) {
    OneContractVm vm = vms.get(id);
    if (vm == null) {
      return failure(OneErrorCode.NO_EXISTS, "[one.vm.info] Error getting virtual machine [" + id + "].");
    }
    return success(string(vmXml(vm, true, username)));
  }

  private String action(String action, int id) {
    actions.add(action + " " + id);
    OneContractVm vm = vms.get(id);
    if (vm == null) {
      return failure(OneErrorCode.NO_EXISTS, "[one.vm.action] Error getting virtual machine [" + id + "].");
    }
    if (vm.state == OneStates.DONE) {
      return failure(OneErrorCode.ACTION, "[one.vm.action] Error performing action \"" + action
          + "\": This action is not available for state DONE");
    }
    switch (action) {
      case "terminate", "terminate-hard" -> {
        setState(id, OneStates.DONE, OneStates.LCM_INIT);
        StoredVm terminated = stored(vm);
        events.add(() -> listener.terminated(terminated));
      }
      case "poweroff", "poweroff-hard" -> setState(id, OneStates.POWEROFF, OneStates.LCM_INIT);
      default -> {
        return failure(OneErrorCode.ACTION, "[one.vm.action] Virtual machine action \"" + action
            + "\" is not supported");
      }
    }
    return success(integer(id));
  }

  /**
   * The pool call's filter flag as OpenNebula defines it: -4 the user's primary group, -3 the
   * user's own, -2 all, -1 the user's and their groups', a number &gt;= 0 that user's.
   */
  private static boolean visible(OneContractVm vm, int filter) {
    return switch (filter) {
      case -4 -> vm.gid == 1;
      case -3 -> vm.uid == 1;
      case -2 -> true;
      case -1 -> vm.uid == 1 || vm.gid == 1;
      default -> filter >= 0 && vm.uid == filter;
    };
  }

  private String pool(int filter, int start, int end, int stateFilter, boolean extended) {
    StringBuilder xml = new StringBuilder("<VM_POOL>");
    for (OneContractVm vm : vms.values()) {
      if (!visible(vm, filter)) {
        continue;
      }
      boolean stateMatches = stateFilter == -2 || stateFilter == -1 && vm.state != OneStates.DONE
          || stateFilter == vm.state;
      boolean inRange = (start < 0 || vm.id >= start) && (end < 0 || vm.id <= end);
      if (stateMatches && inRange) {
        xml.append(vmXml(vm, extended, username));
      }
    }
    return success(string(xml.append("</VM_POOL>").toString()));
  }
}
