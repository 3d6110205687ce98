package io.conpaas.iaas.opennebula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The XML-RPC client and codec: encoding, OpenNebula's answer arrays, faults, and hostile XML. */
class OneXmlRpcClientTest {
  private static final String SESSION = "conpaas:pa55word";

  @TempDir
  Path tmp;
  private OneContractServer one;
  private OneXmlRpcClient client;

  @BeforeEach
  void start() throws Exception {
    one = OneContractServer.start("conpaas", "pa55word");
    client = new OneXmlRpcClient(one.endpoint(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    one.close();
  }

  @Test
  void callsReturnTheResultOfASuccessfulAnswer() {
    assertThat(client.callForString("one.system.version", SESSION)).isEqualTo(OneContractServer.VERSION);
    assertThat(client.callForString("one.user.info", SESSION, -1)).contains("<NAME>conpaas</NAME>");
    assertThat(one.calls("one.user.info")).isEqualTo(1);
  }

  @Test
  void parametersAreEncodedWithTheirXmlRpcTypes() {
    String call = new String(XmlRpcCodec.encodeCall("one.vm.allocate", List.of("s<&>\r\"", 42, true)),
        StandardCharsets.UTF_8);

    assertThat(call).contains("<methodName>one.vm.allocate</methodName>")
        .contains("<value><string>s&lt;&amp;&gt;&#13;\"</string></value>")
        .contains("<value><i4>42</i4></value>")
        .contains("<value><boolean>1</boolean></value>");
    assertThatThrownBy(() -> XmlRpcCodec.encodeCall("one.vm.info", List.of(1.5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlRpcCodec.encodeCall("one.vm.info", List.of("bell\u0007")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> XmlRpcCodec.encodeCall("one.vm.info</methodName>", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWrongParameterTypeIsAnXmlRpcFault() {
    assertThatThrownBy(() -> client.call("one.vm.info", SESSION, "not-an-int"))
        .isInstanceOfSatisfying(OneCallException.class, e -> {
          assertThat(e.fault()).isTrue();
          assertThat(e.errorCode()).isEqualTo(OneContractServer.FAULT_TYPE_ERROR);
          assertThat(e.reason()).isEqualTo("XmlRpcFault");
        });
  }

  @Test
  void anUnknownMethodIsReportedAsMissing() {
    assertThatThrownBy(() -> client.call("one.vm.nosuchthing", SESSION, 1))
        .isInstanceOfSatisfying(OneCallException.class, e -> {
          assertThat(e.methodMissing()).isTrue();
          assertThat(e.reason()).isEqualTo("MethodNotFound");
        });
  }

  @Test
  void errorCodesMapToReasonsAndRetryAdvice() {
    Map<OneErrorCode, Object[]> expected = Map.of(
        OneErrorCode.AUTHENTICATION, new Object[] {"AuthFailure", false},
        OneErrorCode.AUTHORIZATION, new Object[] {"Unauthorized", false},
        OneErrorCode.NO_EXISTS, new Object[] {"NotFound", false},
        OneErrorCode.ACTION, new Object[] {"ActionFailed", true},
        OneErrorCode.XML_RPC_API, new Object[] {"ApiMismatch", false},
        OneErrorCode.INTERNAL, new Object[] {"InternalError", true},
        OneErrorCode.ALLOCATE, new Object[] {"AllocateFailed", false},
        OneErrorCode.LOCKED, new Object[] {"Locked", true});
    expected.forEach((code, reasonAndRetry) -> {
      OneCallException e = OneCallException.failure("one.vm.allocate", code.code(), "boom");
      assertThat(e.reason()).as(code.name()).isEqualTo(reasonAndRetry[0]);
      assertThat(e.retryable()).as(code.name()).isEqualTo(reasonAndRetry[1]);
      assertThat(e.is(code)).isTrue();
      assertThat(e.getMessage()).contains("one.vm.allocate").contains("boom");
    });
    assertThat(OneCallException.failure("one.vm.info", 0x10000, "new").reason()).isEqualTo("CloudError");
  }

  @Test
  void theSessionNeverShowsInAnException() {
    one.answerNextWith(failureEchoing("[one.vm.info] session conpaas:pa55word and pa55word rejected"));

    assertThatThrownBy(() -> client.call("one.vm.info", SESSION, 1))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage()).doesNotContain("pa55word"));
  }

  @Test
  void anExternalEntityIsRefusedAndNothingIsRead() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET-MARKER");
    String xxe;
    try (InputStream in = getClass().getResourceAsStream("/opennebula/xxe-response.xml")) {
      xxe = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("SECRET_FILE", secret.toString());
    }
    one.answerNextWith(xxe);

    assertThatThrownBy(() -> client.call("one.system.version", SESSION))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo("BadResponse");
          assertThat(e.getMessage()).contains("DOCTYPE").doesNotContain("TOP-SECRET-MARKER");
        });
    assertThatThrownBy(() -> XmlRpcCodec.decodeResponse(xxe.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SafeXml.RejectedXmlException.class);
  }

  @Test
  void anInternalEntityBombIsRefusedToo() {
    String bomb = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
        + "<methodResponse><params><param><value><string>&b;</string></value></param></params></methodResponse>";

    assertThatThrownBy(() -> XmlRpcCodec.decodeResponse(bomb.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SafeXml.RejectedXmlException.class);
  }

  @Test
  void serverSentValuesStayStringsIntsAndBooleans() throws Exception {
    // Apache XML-RPC would deserialize this extension type into a Java object (CVE-2019-17570).
    String answer = "<methodResponse><fault><value><struct>"
        + "<member><name>faultCode</name><value><int>7</int></value></member>"
        + "<member><name>faultString</name><value><ex:serializable>rO0ABXNyABNqYXZhLnV0aWwuQXJyYXlMaXN0"
        + "</ex:serializable></value></member></struct></value></fault></methodResponse>";

    XmlRpcCodec.Response response = XmlRpcCodec.decodeResponse(answer.getBytes(StandardCharsets.UTF_8));

    assertThat(response.fault()).isTrue();
    assertThat(response.faultCode()).isEqualTo(7);
    assertThat(response.faultString()).isEqualTo("rO0ABXNyABNqYXZhLnV0aWwuQXJyYXlMaXN0");
  }

  @Test
  void anAnswerThatIsNotOpenNebulasArrayIsABadResponse() {
    one.answerNextWith("<methodResponse><params><param><value><string>just text</string></value></param>"
        + "</params></methodResponse>");

    assertThatThrownBy(() -> client.call("one.system.version", SESSION))
        .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.reason()).isEqualTo("BadResponse"));
  }

  private static String failureEchoing(String message) {
    return "<methodResponse><params><param><value><array><data><value><boolean>0</boolean></value>"
        + "<value><string>" + message + "</string></value><value><i4>256</i4></value></data></array></value>"
        + "</param></params></methodResponse>";
  }
}
