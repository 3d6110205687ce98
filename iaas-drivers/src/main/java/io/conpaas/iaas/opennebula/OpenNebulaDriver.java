package io.conpaas.iaas.opennebula;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenNebula cloud over its XML-RPC API (the calls OpenNebula's OCA library wraps).
 *
 * <p>Idempotency: OpenNebula has no client token, so the VM NAME is derived from the request name
 * and a hash of the token ({@link #vmNameFor}) and the token itself is stored as the user-template
 * attribute CONPAAS_CLIENT_TOKEN. create first looks for a live VM carrying the token (or, for a
 * VM without the attribute, that name) and allocates only when there is none.
 *
 * <p>Tags become user-template attributes (see {@link OneTagAttributes}); the contextualization
 * travels base64-encoded in the CONTEXT attribute CONPAAS_CONTEXT, next to NETWORK="YES".
 */
public final class OpenNebulaDriver implements IaasDriver {
  private static final Logger LOG = LoggerFactory.getLogger(OpenNebulaDriver.class);

  /** The CONTEXT attribute that carries the base64 contextualization document. */
  public static final String CONTEXT_ATTRIBUTE = "CONPAAS_CONTEXT";
  static final String TOKEN_ATTRIBUTE = OneTagAttributes.attributeFor(VmTags.CLIENT_TOKEN);
  static final String CLUSTER_ATTRIBUTE = OneTagAttributes.attributeFor(VmTags.CLUSTER);
  static final double DEFAULT_CPU = 1;
  static final int DEFAULT_MEMORY_MB = 1024;

  /**
   * The pool filter flag for "resources of the connecting user" (-2 would be every VM the account
   * may see, e.g. a whole group's or, for an admin, the cloud's): the operator lists only its own.
   */
  static final int MY_RESOURCES = -3;
  private static final int ANY_ID = -1;
  private static final int ANY_STATE_BUT_DONE = -1;

  private final OpenNebulaConfig config;
  private final OneXmlRpcClient client;
  /** Set once the server turns out to predate one.vmpool.infoextended (OpenNebula before 5.8). */
  private final AtomicBoolean legacyPool = new AtomicBoolean();

  public OpenNebulaDriver(OpenNebulaConfig config) {
    this(config, new OneXmlRpcClient(config.endpoint(), config.requestTimeout()));
  }

  public OpenNebulaDriver(OpenNebulaConfig config, OneXmlRpcClient client) {
    this.config = config;
    this.client = client;
  }

  /** The VM NAME for a request: its name plus the first 8 hex digits of SHA-256(client token). */
  public static String vmNameFor(String requestName, String clientToken) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(clientToken.getBytes(StandardCharsets.UTF_8));
      String base = requestName == null || requestName.isBlank() ? "conpaas" : requestName;
      return base + "-" + HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public VmObservation create(VmRequest request) {
    String name = vmNameFor(request.name(), request.clientToken());
    Optional<OneVmDocument.OneVm> existing = pool().stream()
        .filter(vm -> startedFor(vm, request.clientToken(), name))
        .filter(vm -> vm.state() != OneStates.DONE)
        .findFirst();
    if (existing.isPresent()) {
      LOG.debug("OpenNebula VM {} already exists for {}", existing.get().id(), name);
      return observe(existing.get()).orElseThrow();
    }
    if (request.instanceType() != null) {
      LOG.debug("instanceType {} ignored: OpenNebula VMs are sized by the Cloud's template, cpu and memoryMb",
          request.instanceType());
    }
    String template = template(request, name);
    String session = config.session();
    int id = config.templateId() == null
        ? client.callForInt("one.vm.allocate", session, template, false)
        : client.callForInt("one.template.instantiate", session, config.templateId(), name, false, template, false);
    LOG.info("allocated OpenNebula VM {} ({}) for {}", id, name, request.name());
    OneVmDocument.OneVm vm = parse("one.vm.info", () -> OneVmDocument.parseVm(
        client.callForString("one.vm.info", session, id)));
    return observe(vm).orElseThrow(() -> new CloudException("InstanceGone",
        "OpenNebula VM " + id + " was released right after it was allocated", true));
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    return pool().stream()
        .filter(vm -> clusterId.equals(vm.userTemplate().get(CLUSTER_ATTRIBUTE)))
        .map(this::observe)
        .flatMap(Optional::stream)
        .toList();
  }

  /**
   * One one.vm.action call per VM: OpenNebula has no bulk terminate. terminate-hard, because an
   * agent VM holds nothing a graceful guest shutdown would save. Every id is tried; the first
   * failure is thrown afterwards.
   */
  @Override
  public void terminate(Collection<String> instanceIds) {
    String session = config.session();
    CloudException first = null;
    for (String instanceId : instanceIds) {
      int id;
      try {
        id = Integer.parseInt(instanceId);
      } catch (NumberFormatException e) {
        LOG.warn("ignoring {}: not an OpenNebula VM id", instanceId);
        continue;
      }
      try {
        client.call("one.vm.action", session, "terminate-hard", id);
        LOG.info("terminating OpenNebula VM {}", id);
      } catch (OneCallException e) {
        if (e.is(OneErrorCode.NO_EXISTS) || e.is(OneErrorCode.ACTION) && isDone(id, session)) {
          continue; // already gone
        }
        first = first == null ? e : first;
      } catch (CloudException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** one.user.info of the session's own user (-1): answers only for valid credentials. */
  @Override
  public void verify() {
    client.callForString("one.user.info", config.session(), -1);
  }

  /** The connecting user's VMs except DONE ones, in one call (list() still keeps only this cluster's). */
  private List<OneVmDocument.OneVm> pool() {
    String session = config.session();
    // one.vmpool.info answers with shortened VM documents since OpenNebula 5.8: their
    // USER_TEMPLATE lacks our tags. The extended pool call returns whole documents.
    if (!legacyPool.get()) {
      try {
        String xml = client.callForString("one.vmpool.infoextended", session, MY_RESOURCES, ANY_ID, ANY_ID,
            ANY_STATE_BUT_DONE);
        return parse("one.vmpool.infoextended", () -> OneVmDocument.parsePool(xml));
      } catch (OneCallException e) {
        if (!e.methodMissing()) {
          throw e;
        }
        LOG.info("OpenNebula at {} has no one.vmpool.infoextended; using one.vmpool.info",
            OneXmlRpcClient.redact(config.endpoint()));
        legacyPool.set(true);
      }
    }
    String xml = client.callForString("one.vmpool.info", session, MY_RESOURCES, ANY_ID, ANY_ID, ANY_STATE_BUT_DONE);
    return parse("one.vmpool.info", () -> OneVmDocument.parsePool(xml));
  }

  private boolean isDone(int id, String session) {
    try {
      return parse("one.vm.info", () -> OneVmDocument.parseVm(client.callForString("one.vm.info", session, id)))
          .state() == OneStates.DONE;
    } catch (OneCallException e) {
      return e.is(OneErrorCode.NO_EXISTS);
    } catch (CloudException e) {
      return false; // unknown: the action's own error is what gets reported
    }
  }

  private static boolean startedFor(OneVmDocument.OneVm vm, String clientToken, String name) {
    String token = vm.userTemplate().get(TOKEN_ATTRIBUTE);
    return token != null ? token.equals(clientToken) : vm.name().equals(name);
  }

  /** The template text: the whole VM for one.vm.allocate, the additions for one.template.instantiate. */
  private String template(VmRequest request, String name) {
    boolean fromTemplate = config.templateId() != null;
    // From a template, only what the Cloud sets overrides it; otherwise every VM needs a size.
    Double cpu = config.cpu() != null || fromTemplate ? config.cpu() : Double.valueOf(DEFAULT_CPU);
    Integer memoryMb = config.memoryMb() != null || fromTemplate
        ? config.memoryMb() : Integer.valueOf(DEFAULT_MEMORY_MB);
    Map<String, String> context = new LinkedHashMap<>();
    // One CONTEXT replaces a template's whole CONTEXT, so it carries the network setup too.
    context.put("NETWORK", "YES");
    context.put(CONTEXT_ATTRIBUTE, Base64.getEncoder().encodeToString(
        request.contextualization() == null ? new byte[0] : request.contextualization()));
    Map<String, String> tags = new LinkedHashMap<>(request.tags());
    tags.put(VmTags.CLIENT_TOKEN, request.clientToken());
    try {
      OneTemplate t = new OneTemplate();
      if (!fromTemplate) {
        t.single("NAME", name);
      }
      if (cpu != null) {
        t.single("CPU", decimal(cpu)).single("VCPU", Integer.toString((int) Math.max(1, Math.ceil(cpu))));
      }
      if (memoryMb != null) {
        t.single("MEMORY", memoryMb.toString());
      }
      if (config.imageId() != null) {
        t.vector("DISK", Map.of("IMAGE_ID", config.imageId().toString()));
      }
      if (config.networkId() != null) {
        t.vector("NIC", Map.of("NETWORK_ID", config.networkId().toString()));
      }
      t.vector("CONTEXT", context);
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        t.single(OneTagAttributes.attributeFor(tag.getKey()), tag.getValue());
      }
      return t.text();
    } catch (IllegalArgumentException e) {
      throw new CloudException("InvalidRequest", "cannot write an OpenNebula template for " + name + ": "
          + e.getMessage(), false, e);
    }
  }

  private static String decimal(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** The observation of a VM; empty for a DONE VM. */
  private Optional<VmObservation> observe(OneVmDocument.OneVm vm) {
    Optional<VmState> state = OneStates.toVmState(vm.state(), vm.lcmState());
    if (state.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    vm.userTemplate().forEach((attribute, value) ->
        OneTagAttributes.tagFor(attribute).ifPresent(key -> tags.put(key, value)));
    Optional<String> address = vm.firstAddress();
    String endpoint = null;
    // An endpoint is only worth calling while the VM runs; the attribute wins (NAT, test rigs).
    if (state.get() == VmState.RUNNING) {
      endpoint = Optional.ofNullable(tags.get(VmTags.AGENT_ENDPOINT)).filter(s -> !s.isBlank())
          .or(() -> address.map(ip -> hostPort(ip, config.agentPort())))
          .orElse(null);
    }
    return Optional.of(new VmObservation(Integer.toString(vm.id()), tags.get(VmTags.CLIENT_TOKEN), vm.name(), tags,
        state.get(), address.orElse(null), address.orElse(null), endpoint,
        vm.startTime() > 0 ? Instant.ofEpochSecond(vm.startTime()) : null));
  }

  private static String hostPort(String ip, int port) {
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }

  private interface DocumentRead<T> {
    T read() throws OneVmDocument.UnreadableDocumentException;
  }

  private <T> T parse(String method, DocumentRead<T> read) {
    try {
      return read.read();
    } catch (OneVmDocument.UnreadableDocumentException e) {
      throw new CloudException("BadResponse", method + ": unusable VM document from OpenNebula at "
          + OneXmlRpcClient.redact(config.endpoint()) + ": " + e.getMessage(), false, e);
    }
  }
}
