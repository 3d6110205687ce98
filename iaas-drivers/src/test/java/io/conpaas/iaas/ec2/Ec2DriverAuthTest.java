package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ec2Driver against moto with IAM authentication enforced: moto checks the signature against
 * its IAM users' keys and their policies once the first requests (the IAM set-up) are done.
 */
class Ec2DriverAuthTest {
  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();
  /** Unsigned IAM calls are fine before enforcement; the scope only routes them to IAM. */
  private static final String IAM_SCOPE = "AWS4-HMAC-SHA256 Credential=AKIDSETUP/20260101/us-east-1/iam/aws4_request,"
      + " SignedHeaders=host, Signature=0";
  private static final String DESCRIBE_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}]}";

  private final List<Ec2Driver> drivers = new ArrayList<>();
  private String[] reader;
  private String[] nobody;

  @BeforeEach
  void users() {
    // Exactly the five IAM calls below go through unauthenticated.
    MOTO.enforceAuthAfter("5");
    iam("Action=CreateUser&UserName=reader");
    iam("Action=PutUserPolicy&UserName=reader&PolicyName=describe&PolicyDocument="
        + URLEncoder.encode(DESCRIBE_ONLY, StandardCharsets.UTF_8));
    reader = accessKey(iam("Action=CreateAccessKey&UserName=reader"));
    iam("Action=CreateUser&UserName=nobody");
    nobody = accessKey(iam("Action=CreateAccessKey&UserName=nobody"));
  }

  @AfterEach
  void close() {
    drivers.forEach(Ec2Driver::close);
    MOTO.enforceAuthAfter("inf");
  }

  private static String iam(String form) {
    return MOTO.post("/", form + "&Version=2010-05-08", "application/x-www-form-urlencoded; charset=utf-8",
        IAM_SCOPE);
  }

  private static String[] accessKey(String createAccessKeyXml) {
    return new String[] {xml(createAccessKeyXml, "AccessKeyId"), xml(createAccessKeyXml, "SecretAccessKey")};
  }

  private static String xml(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
    assertThat(m.find()).as("%s in %s", element, xml).isTrue();
    return m.group(1);
  }

  private Ec2Driver driver(String keyId, String secret) {
    Ec2Driver driver = Ec2Driver.create(Ec2DriverTest.config(MOTO.endpoint()).withCredentials(keyId, secret));
    drivers.add(driver);
    return driver;
  }

  @Test
  void verifyAcceptsValidCredentials() {
    driver(reader[0], reader[1]).verify();
  }

  @Test
  void wrongSecretIsAnAuthFailureThatNamesNoCredential() {
    String wrong = "wrong-secret-" + reader[1].substring(0, 8);
    Ec2Driver driver = driver(reader[0], wrong);

    assertThatThrownBy(driver::verify).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("AuthFailure");
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(reader[0]).doesNotContain(reader[1]);
    });
  }

  @Test
  void unknownKeyIsAnAuthFailure() {
    Ec2Driver driver = driver("AKIDNOSUCHKEY0000000", "no-such-secret");

    assertThatThrownBy(driver::verify).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("AuthFailure");
      assertThat(e.retryable()).isFalse();
    });
  }

  @Test
  void missingPermissionIsNotRetryable() {
    Ec2Driver driver = driver(nobody[0], nobody[1]);

    // moto answers AccessDenied where EC2 answers UnauthorizedOperation.
    assertThatThrownBy(driver::verify).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isIn("AccessDenied", "UnauthorizedOperation");
      assertThat(e.retryable()).isFalse();
    });
  }

  @Test
  void readOnlyCredentialsCannotLaunch() {
    Ec2Driver driver = driver(reader[0], reader[1]);

    assertThatThrownBy(() -> driver.create(Ec2DriverTest.request("token-1", "c1")))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isIn("AccessDenied", "UnauthorizedOperation");
          assertThat(e.retryable()).isFalse();
        });
    // The token lookup (Describe) was allowed; the launch was not.
    assertThat(driver.apiCalls()).containsEntry("DescribeInstances", 1L).containsEntry("RunInstances", 1L);
  }
}
