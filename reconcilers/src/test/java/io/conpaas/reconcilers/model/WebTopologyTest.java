package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentSpec;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** WebTopology: what the proxy lists, where sessions live, when a leaving backend may go, endpoints. */
class WebTopologyTest {
  private static final String BACKEND = WebServiceSpec.ROLE_BACKEND;
  private static final String WEB = WebServiceSpec.ROLE_WEB;
  private static final String PROXY = WebServiceSpec.ROLE_PROXY;

  /** An Agent of role in phase whose spec config is config and which applied it. */
  private static Agent agent(String name, String role, AgentPhase phase, Map<String, String> config) {
    Agent a = new Agent();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace("shop");
    a.setMetadata(meta);
    AgentSpec spec = new AgentSpec();
    spec.setRole(role);
    spec.setCloud("local");
    spec.setConfig(new TreeMap<>(config));
    a.setSpec(spec);
    if (phase != null) {
      AgentStatus st = new AgentStatus();
      st.setPhase(phase);
      st.setAppliedConfigHash(ConfigHash.of(config));
      a.setStatus(st);
    }
    return a;
  }

  private static Agent agent(String name, String role, AgentPhase phase) {
    return agent(name, role, phase, Map.of());
  }

  /** The agent with a private address and a port fact. */
  private static Agent at(Agent a, String privateAddress, String port) {
    a.getStatus().setAddresses(new AgentAddresses(null, privateAddress));
    if (port != null) {
      a.getStatus().getFacts().put(WebRoleKeys.PORT, port);
    }
    return a;
  }

  private static Agent fact(Agent a, String key, String value) {
    a.getStatus().getFacts().put(key, value);
    return a;
  }

  private static Set<String> names(Agent... agents) {
    return Arrays.stream(agents).map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static WebTopology topology(List<Agent> agents, Set<String> desired) {
    return new WebTopology(agents, desired, true);
  }

  // --- proxy lists -------------------------------------------------------------------------

  @Test
  void proxyListsOnlyKeptRunningBackendsAndWebServersThatReportAPort() {
    Agent b0 = at(agent("shop-backend-0", BACKEND, AgentPhase.Running), "10.0.0.1", "8080");
    Agent booting = at(agent("shop-backend-1", BACKEND, AgentPhase.Booting), "10.0.0.2", "8080");
    Agent noPort = at(agent("shop-backend-2", BACKEND, AgentPhase.Running), "10.0.0.3", null);
    Agent leaving = at(agent("shop-backend-3", BACKEND, AgentPhase.Running), "10.0.0.4", "8080");
    Agent deleting = at(agent("shop-backend-4", BACKEND, AgentPhase.Running), "10.0.0.5", "8080");
    deleting.getMetadata().setDeletionTimestamp("2024-05-01T10:00:00Z");
    Agent zeroPort = at(agent("shop-backend-5", BACKEND, AgentPhase.Running), "10.0.0.6", "0");
    Agent fresh = agent("shop-backend-6", BACKEND, null);
    Agent web = at(agent("shop-web-0", WEB, AgentPhase.Running), "10.0.1.1", "80");
    Agent proxy = at(agent("shop-proxy-0", PROXY, AgentPhase.Running), "10.0.2.1", "8000");
    List<Agent> all = List.of(b0, booting, noPort, leaving, deleting, zeroPort, fresh, web, proxy);
    Set<String> kept = names(b0, booting, noPort, deleting, zeroPort, fresh, web, proxy);

    WebTopology t = topology(all, kept);

    assertThat(t.serving(BACKEND)).containsExactly("10.0.0.1:8080");
    assertThat(t.serving(WEB)).containsExactly("10.0.1.1:80");
    Map<String, String> proxyConfig = t.config(null, null).get(PROXY);
    assertThat(proxyConfig).containsExactlyInAnyOrderEntriesOf(Map.of(
        WebRoleKeys.BACKENDS, "10.0.0.1:8080", WebRoleKeys.WEB, "10.0.1.1:80"));
  }

  @Test
  void aBackendJoinsTheProxyListOnceItRuns() {
    Agent b0 = at(agent("shop-backend-0", BACKEND, AgentPhase.Running), "10.0.0.1", "8080");
    Agent b1 = at(agent("shop-backend-1", BACKEND, AgentPhase.Configuring), "10.0.0.2", "8080");
    Set<String> kept = names(b0, b1);
    assertThat(topology(List.of(b0, b1), kept).config("v1", null).get(PROXY))
        .containsEntry(WebRoleKeys.BACKENDS, "10.0.0.1:8080");

    b1.getStatus().setPhase(AgentPhase.Running);

    assertThat(topology(List.of(b1, b0), kept).config("v1", null).get(PROXY))
        .containsEntry(WebRoleKeys.BACKENDS, "10.0.0.1:8080,10.0.0.2:8080");
  }

  @Test
  void emptyListsWhenNothingServes() {
    Agent proxy = at(agent("shop-proxy-0", PROXY, AgentPhase.Running), "10.0.2.1", "8000");

    assertThat(topology(List.of(proxy), names(proxy)).config(null, null).get(PROXY))
        .containsEntry(WebRoleKeys.BACKENDS, "").containsEntry(WebRoleKeys.WEB, "");
  }

  @Test
  void addressFallsBackToPublicThenToTheAgentEndpointHostAndBracketsIpv6() {
    Agent publicOnly = agent("shop-backend-0", BACKEND, AgentPhase.Running);
    publicOnly.getStatus().setAddresses(new AgentAddresses("198.51.100.7", " "));
    fact(publicOnly, WebRoleKeys.PORT, "8080");
    Agent endpointOnly = agent("shop-backend-1", BACKEND, AgentPhase.Running);
    endpointOnly.getStatus().setAgentEndpoint("127.0.0.1:34567");
    fact(endpointOnly, WebRoleKeys.PORT, "8081");
    Agent ipv6 = agent("shop-backend-2", BACKEND, AgentPhase.Running);
    ipv6.getStatus().setAgentEndpoint("[::1]:34568");
    fact(ipv6, WebRoleKeys.PORT, "8082");
    Agent nowhere = agent("shop-backend-3", BACKEND, AgentPhase.Running);
    fact(nowhere, WebRoleKeys.PORT, "8083");

    List<Agent> all = List.of(publicOnly, endpointOnly, ipv6, nowhere);
    assertThat(topology(all, names(publicOnly, endpointOnly, ipv6, nowhere)).serving(BACKEND))
        .containsExactly("198.51.100.7:8080", "127.0.0.1:8081", "[::1]:8082");
  }

  @Test
  void acrossCloudsTheProxyAndTheBackendsUseTheAddressTheOperatorReachesAgentsAt() {
    Agent b0 = at(agent("shop-backend-0", BACKEND, AgentPhase.Running), "10.0.0.1", "8080");
    b0.getSpec().setCloud("ec2");
    b0.getStatus().setAgentEndpoint("54.1.2.3:5555");
    Agent proxy = fact(at(agent("shop-proxy-0", PROXY, AgentPhase.Running,
        Map.of(WebRoleKeys.BACKENDS, "54.1.2.3:8080")), "10.0.2.1", "8000"), WebRoleKeys.SESSION_PORT, "9000");
    proxy.getStatus().setAgentEndpoint("198.51.100.9:4443");
    Agent leaving = at(agent("shop-backend-1", BACKEND, AgentPhase.Running), "10.0.0.2", "8080");
    leaving.getSpec().setCloud("ec2");
    leaving.getStatus().setAgentEndpoint("54.1.2.4:5555");
    Agent listing = fact(at(agent("shop-proxy-0", PROXY, AgentPhase.Running,
        Map.of(WebRoleKeys.BACKENDS, "54.1.2.3:8080,54.1.2.4:8080")), "10.0.2.1", "8000"), WebRoleKeys.SESSION_PORT,
        "9000");

    WebTopology t = topology(List.of(b0, proxy), names(b0, proxy));

    assertThat(t.serving(BACKEND)).containsExactly("54.1.2.3:8080");
    assertThat(t.config("v1", null).get(BACKEND))
        .containsEntry(WebRoleKeys.SESSION_STORE, "http://198.51.100.9:9000/sessions/");
    assertThat(topology(List.of(b0, leaving, listing), names(b0, listing)).mayRelease(leaving)).isFalse();
    assertThat(topology(List.of(b0, leaving, proxy), names(b0, proxy)).mayRelease(leaving)).isTrue();
  }

  // --- code configuration and sessions -----------------------------------------------------

  @Test
  void codeRolesGetTheActiveVersionAndBackendsDebugOnlyWhenSet() {
    WebTopology t = topology(List.of(), Set.of());

    Map<String, Map<String, String>> config = t.config("v2", true);
    assertThat(config.get(BACKEND)).containsExactlyInAnyOrderEntriesOf(Map.of(
        WebRoleKeys.ACTIVE_VERSION, "v2", WebRoleKeys.DEBUG, "true"));
    assertThat(config.get(WEB)).containsExactlyInAnyOrderEntriesOf(Map.of(WebRoleKeys.ACTIVE_VERSION, "v2"));

    Map<String, Map<String, String>> none = t.config(" ", null);
    assertThat(none.get(BACKEND)).isEmpty();
    assertThat(none.get(WEB)).isEmpty();
  }

  @Test
  void sessionStoreIsTheFirstRunningProxyThatReportsASessionPort() {
    Agent booting = fact(at(agent("shop-proxy-0", PROXY, AgentPhase.Booting), "10.0.2.0", "8000"),
        WebRoleKeys.SESSION_PORT, "9000");
    Agent noSessions = at(agent("shop-proxy-1", PROXY, AgentPhase.Running), "10.0.2.1", "8000");
    Agent third = fact(at(agent("shop-proxy-3", PROXY, AgentPhase.Running), "10.0.2.3", "8000"),
        WebRoleKeys.SESSION_PORT, "9003");
    Agent second = fact(at(agent("shop-proxy-2", PROXY, AgentPhase.Running), "10.0.2.2", "8000"),
        WebRoleKeys.SESSION_PORT, "9002");
    List<Agent> all = List.of(third, booting, noSessions, second);

    WebTopology t = topology(all, names(booting, noSessions, second, third));

    assertThat(t.config("v1", false).get(BACKEND))
        .containsEntry(WebRoleKeys.SESSION_STORE, "http://10.0.2.2:9002/sessions/");
  }

  @Test
  void noSessionStoreWithoutASessionProxyOrForServicesWithoutSharedSessions() {
    Agent booting = fact(at(agent("shop-proxy-0", PROXY, AgentPhase.Booting), "10.0.2.0", "8000"),
        WebRoleKeys.SESSION_PORT, "9000");
    assertThat(topology(List.of(booting), names(booting)).config("v1", null).get(BACKEND))
        .doesNotContainKey(WebRoleKeys.SESSION_STORE);

    Agent running = fact(at(agent("shop-proxy-1", PROXY, AgentPhase.Running), "10.0.2.1", "8000"),
        WebRoleKeys.SESSION_PORT, "9001");
    Agent leaving = fact(at(agent("shop-proxy-2", PROXY, AgentPhase.Running), "10.0.2.2", "8000"),
        WebRoleKeys.SESSION_PORT, "9002");
    assertThat(topology(List.of(leaving), Set.of()).config("v1", null).get(BACKEND))
        .doesNotContainKey(WebRoleKeys.SESSION_STORE);
    assertThat(new WebTopology(List.of(running), names(running), false).config("v1", null).get(BACKEND))
        .doesNotContainKey(WebRoleKeys.SESSION_STORE);
  }

  // --- releasing a leaving backend ---------------------------------------------------------

  private static Agent proxyRunning(Map<String, String> config, boolean applied) {
    Agent p = at(agent("shop-proxy-0", PROXY, AgentPhase.Running, config), "10.0.2.1", "8000");
    if (!applied) {
      p.getStatus().setAppliedConfigHash(ConfigHash.of(Map.of(WebRoleKeys.BACKENDS, "older")));
    }
    return p;
  }

  @Test
  void aLeavingBackendStaysWhileARunningProxyStillListsIt() {
    Agent kept = at(agent("shop-backend-0", BACKEND, AgentPhase.Running), "10.0.0.1", "8080");
    Agent leaving = at(agent("shop-backend-1", BACKEND, AgentPhase.Running), "10.0.0.2", "8080");
    Agent proxy = proxyRunning(Map.of(WebRoleKeys.BACKENDS, "10.0.0.1:8080,10.0.0.2:8080", WebRoleKeys.WEB, ""),
        true);

    WebTopology t = topology(List.of(kept, leaving, proxy), names(kept, proxy));

    assertThat(t.mayRelease(leaving)).isFalse();
    // What the service reconciler writes next no longer lists it.
    assertThat(t.config(null, null).get(PROXY)).containsEntry(WebRoleKeys.BACKENDS, "10.0.0.1:8080");
  }

  @Test
  void aLeavingBackendStaysUntilTheProxyAppliedTheListWithoutIt() {
    Agent kept = at(agent("shop-backend-0", BACKEND, AgentPhase.Running), "10.0.0.1", "8080");
    Agent leaving = at(agent("shop-backend-1", BACKEND, AgentPhase.Running), "10.0.0.2", "8080");
    Map<String, String> without = Map.of(WebRoleKeys.BACKENDS, "10.0.0.1:8080", WebRoleKeys.WEB, "");

    Agent notYet = proxyRunning(without, false);
    assertThat(topology(List.of(kept, leaving, notYet), names(kept, notYet)).mayRelease(leaving)).isFalse();
    Agent neverReported = proxyRunning(without, true);
    neverReported.getStatus().setAppliedConfigHash(null);
    assertThat(topology(List.of(kept, leaving, neverReported), names(kept, neverReported)).mayRelease(leaving))
        .isFalse();

    Agent applied = proxyRunning(without, true);
    assertThat(topology(List.of(kept, leaving, applied), names(kept, applied)).mayRelease(leaving)).isTrue();
  }

  @Test
  void everyRunningProxyMustHaveDroppedIt() {
    Agent leaving = at(agent("shop-backend-1", BACKEND, AgentPhase.Running), "10.0.0.2", "8080");
    Agent done = proxyRunning(Map.of(WebRoleKeys.BACKENDS, ""), true);
    Agent other = at(agent("shop-proxy-1", PROXY, AgentPhase.Running,
        Map.of(WebRoleKeys.BACKENDS, "10.0.0.2:8080")), "10.0.2.2", "8000");

    assertThat(topology(List.of(leaving, done, other), names(done, other)).mayRelease(leaving)).isFalse();
  }

  @Test
  void aLeavingBackendMayGoWhenNoProxyRuns() {
    Agent leaving = at(agent("shop-backend-1", BACKEND, AgentPhase.Running), "10.0.0.2", "8080");
    Agent bootingProxy = at(agent("shop-proxy-0", PROXY, AgentPhase.Booting,
        Map.of(WebRoleKeys.BACKENDS, "10.0.0.2:8080")), "10.0.2.1", "8000");
    Agent failedProxy = at(agent("shop-proxy-1", PROXY, AgentPhase.Failed,
        Map.of(WebRoleKeys.BACKENDS, "10.0.0.2:8080")), "10.0.2.2", "8000");
    Agent newProxy = agent("shop-proxy-2", PROXY, null, Map.of(WebRoleKeys.BACKENDS, "10.0.0.2:8080"));

    assertThat(topology(List.of(leaving), Set.of()).mayRelease(leaving)).isTrue();
    assertThat(topology(List.of(leaving, bootingProxy, failedProxy, newProxy),
        names(bootingProxy, failedProxy, newProxy)).mayRelease(leaving)).isTrue();
  }

  @Test
  void anAgentThatNeverReportedAPortMayAlwaysGo() {
    Agent neverServed = agent("shop-backend-1", BACKEND, AgentPhase.Booting);
    neverServed.getStatus().setAddresses(new AgentAddresses(null, "10.0.0.2"));
    Agent noStatus = agent("shop-backend-2", BACKEND, null);
    Agent proxy = proxyRunning(Map.of(WebRoleKeys.BACKENDS, "10.0.0.2:8080"), false);

    WebTopology t = topology(List.of(neverServed, noStatus, proxy), names(proxy));

    assertThat(t.mayRelease(neverServed)).isTrue();
    assertThat(t.mayRelease(noStatus)).isTrue();
  }

  @Test
  void aLeavingWebServerWaitsForTheWebListAndProxiesAlwaysGo() {
    Agent web = at(agent("shop-web-1", WEB, AgentPhase.Running), "10.0.1.2", "80");
    Agent listing = proxyRunning(Map.of(WebRoleKeys.BACKENDS, "10.0.1.2:80", WebRoleKeys.WEB, "10.0.1.2:80"), true);
    assertThat(topology(List.of(web, listing), names(listing)).mayRelease(web)).isFalse();

    // Listed only among backends (another role's list): the web list is what counts.
    Agent webDropped = proxyRunning(Map.of(WebRoleKeys.BACKENDS, "10.0.1.2:80", WebRoleKeys.WEB, ""), true);
    assertThat(topology(List.of(web, webDropped), names(webDropped)).mayRelease(web)).isTrue();

    Agent leavingProxy = at(agent("shop-proxy-1", PROXY, AgentPhase.Running), "10.0.2.2", "8000");
    assertThat(topology(List.of(leavingProxy, listing), names(listing)).mayRelease(leavingProxy)).isTrue();
  }

  // --- endpoints and served version ---------------------------------------------------------

  @Test
  void endpointsPreferThePublicAddressOfEachRunningKeptProxy() {
    Agent both = at(agent("shop-proxy-0", PROXY, AgentPhase.Running), "10.0.2.1", "8000");
    both.getStatus().setAddresses(new AgentAddresses("203.0.113.5", "10.0.2.1"));
    Agent privateOnly = at(agent("shop-proxy-1", PROXY, AgentPhase.Running), "10.0.2.2", "8001");
    Agent local = agent("shop-proxy-2", PROXY, AgentPhase.Running);
    local.getStatus().setAgentEndpoint("127.0.0.1:40000");
    fact(local, WebRoleKeys.PORT, "8002");
    Agent booting = at(agent("shop-proxy-3", PROXY, AgentPhase.Booting), "10.0.2.4", "8003");
    Agent noPort = at(agent("shop-proxy-4", PROXY, AgentPhase.Running), "10.0.2.5", null);
    Agent leaving = at(agent("shop-proxy-5", PROXY, AgentPhase.Running), "10.0.2.6", "8005");
    Agent backend = at(agent("shop-backend-0", BACKEND, AgentPhase.Running), "10.0.0.1", "8080");
    List<Agent> all = new ArrayList<>(List.of(leaving, noPort, booting, local, privateOnly, both, backend));

    List<Endpoint> endpoints = topology(all, names(both, privateOnly, local, booting, noPort, backend)).endpoints();

    assertThat(endpoints).extracting(Endpoint::getName).containsOnly("http");
    assertThat(endpoints).extracting(Endpoint::getUrl).containsExactly(
        "http://203.0.113.5:8000/", "http://10.0.2.2:8001/", "http://127.0.0.1:8002/");
  }

  @Test
  void ipv6EndpointsAreBracketed() {
    Agent p = agent("shop-proxy-0", PROXY, AgentPhase.Running);
    p.getStatus().setAddresses(new AgentAddresses("2001:db8::5", null));
    fact(p, WebRoleKeys.PORT, "8000");

    assertThat(topology(List.of(p), names(p)).endpoints()).extracting(Endpoint::getUrl)
        .containsExactly("http://[2001:db8::5]:8000/");
  }

  private static Agent serving(String name, String role, String version) {
    return fact(at(agent(name, role, AgentPhase.Running, Map.of(WebRoleKeys.ACTIVE_VERSION, version)),
        "10.0.0." + name.charAt(name.length() - 1), "8080"), WebRoleKeys.ACTIVE_VERSION, version);
  }

  @Test
  void servedVersionIsTheOneEveryReadyBackendAndWebServerReports() {
    Agent b0 = serving("shop-backend-0", BACKEND, "v2");
    Agent b1 = serving("shop-backend-1", BACKEND, "v2");
    Agent w0 = serving("shop-web-0", WEB, "v2");
    Agent proxy = fact(at(agent("shop-proxy-0", PROXY, AgentPhase.Running), "10.0.2.1", "8000"),
        WebRoleKeys.ACTIVE_VERSION, "something-else");

    assertThat(topology(List.of(b0, b1, w0, proxy), names(b0, b1, w0, proxy)).servedVersion()).contains("v2");
  }

  @Test
  void servedVersionIsEmptyWhileReadyAgentsDisagree() {
    Agent b0 = serving("shop-backend-0", BACKEND, "v2");
    Agent b1 = serving("shop-backend-1", BACKEND, "v1");
    Agent w0 = serving("shop-web-0", WEB, "v2");

    assertThat(topology(List.of(b0, b1, w0), names(b0, b1, w0)).servedVersion()).isEmpty();

    // A web server that reports no version yet disagrees too.
    Agent w1 = serving("shop-web-1", WEB, "v2");
    w1.getStatus().getFacts().remove(WebRoleKeys.ACTIVE_VERSION);
    assertThat(topology(List.of(b0, w1), names(b0, w1)).servedVersion()).isEmpty();
  }

  @Test
  void agentsThatAreNotReadyOrLeavingDoNotCount() {
    Agent b0 = serving("shop-backend-0", BACKEND, "v2");
    Agent stale = serving("shop-backend-1", BACKEND, "v1");
    // Its spec asks for v2 already; it still runs the v1 configuration.
    stale.getSpec().setConfig(new TreeMap<>(Map.of(WebRoleKeys.ACTIVE_VERSION, "v2")));
    Agent booting = serving("shop-backend-2", BACKEND, "v1");
    booting.getStatus().setPhase(AgentPhase.Booting);
    Agent leaving = serving("shop-backend-3", BACKEND, "v1");

    assertThat(topology(List.of(b0, stale, booting, leaving), names(b0, stale, booting)).servedVersion())
        .contains("v2");
    assertThat(topology(List.of(), Set.of()).servedVersion()).isEqualTo(Optional.empty());
  }
}
