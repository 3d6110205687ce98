package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceSpec;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The registry of service kinds, and that it matches the resource classes. */
class ServiceKindsTest {
  @Test
  void findsAKindByTypeNameKindOrPluralInAnyCase() {
    ServiceKinds kinds = ServiceKinds.standard();

    for (String name : new String[] {"helloworld", "HelloWorld", "HelloWorldService", "helloworldservice",
        "helloworldservices", "helloworldservices.conpaas.io", "helloworldservice.conpaas.io"}) {
      assertThat(kinds.find(name)).as(name).get().extracting(ServiceKind::kind).isEqualTo("HelloWorldService");
    }
    assertThat(kinds.find("scalarix")).isEmpty();
    assertThatThrownBy(() -> kinds.require("scalarix"))
        .hasMessage("unknown service type 'scalarix'; known types: helloworld, mapreduce, php, java, mysql, scalaris, selenium, taskfarm, htc, xtreemfs");
  }

  @Test
  void describesThePhpAndJavaServicesAsTheApiDoes() {
    ServiceKinds kinds = ServiceKinds.standard();
    ServiceKind php = kinds.require("php");
    ServiceKind java = kinds.require("JavaService");

    assertThat(php.kind()).isEqualTo("PhpService");
    assertThat(php.roles()).containsExactly("backend", "web", "proxy");
    assertThat(php.scaleRole()).isEqualTo("backend");
    assertThat(php.resource()).isEqualTo("phpservices.conpaas.io");
    assertThat(php.features()).containsExactlyInAnyOrder(ServiceKind.Feature.CODE, ServiceKind.Feature.DEBUG);
    assertThat(java.type()).isEqualTo("java");
    assertThat(java.roles()).containsExactly("backend", "web", "proxy");
    assertThat(java.features()).containsExactly(ServiceKind.Feature.CODE);
    assertThat(kinds.require("helloworld").features()).isEmpty();
    assertThat(kinds.kindsWith(ServiceKind.Feature.CODE)).isEqualTo("PhpService, JavaService");
    assertThat(kinds.find("phpservices.conpaas.io")).contains(php);
  }

  @Test
  void describesHelloWorldAsTheApiDoes() {
    ServiceKind hello = ServiceKinds.standard().require("helloworld");

    assertThat(hello.roles()).containsExactly("agents");
    assertThat(hello.scaleRole()).isEqualTo("agents");
    assertThat(hello.apiVersion()).isEqualTo("conpaas.io/v1alpha1");
    assertThat(hello.resource()).isEqualTo("helloworldservices.conpaas.io");
    assertThat(hello.ref("hw")).isEqualTo("helloworldservice/hw");
    assertThat(hello.qualifiedRef("hw")).isEqualTo("helloworldservice.conpaas.io/hw");
    assertThat(hello.requireRole(null, "x")).isEqualTo("agents");
    assertThatThrownBy(() -> hello.requireRole("proxy", "helloworldservice/hw"))
        .hasMessage("unknown role 'proxy' for helloworldservice/hw; its roles: agents");
  }

  @Test
  void describesMysqlAsTheApiDoesWithItsOneMasterFixed() {
    ServiceKinds kinds = ServiceKinds.standard();
    ServiceKind mysql = kinds.require("mysql");

    assertThat(mysql.kind()).isEqualTo("MysqlService");
    assertThat(kinds.find("mysqlservices.conpaas.io")).contains(mysql);
    assertThat(mysql.roles()).containsExactly("slaves", "master");
    assertThat(mysql.scaleRole()).isEqualTo("slaves");
    assertThat(mysql.scalableRoles()).containsExactly("slaves");
    assertThat(mysql.initialNodes()).isZero();
    assertThat(mysql.features()).containsExactly(ServiceKind.Feature.DATABASE);
    assertThat(kinds.kindsWith(ServiceKind.Feature.DATABASE)).isEqualTo("MysqlService");
    assertThat(mysql.requireScalableRole(null, "mysqlservice/db")).isEqualTo("slaves");
    assertThat(mysql.requireScalableRole("slaves", "mysqlservice/db")).isEqualTo("slaves");
    assertThatThrownBy(() -> mysql.requireScalableRole("master", "mysqlservice/db"))
        .hasMessage("cannot change the nodes of role master of mysqlservice/db: a MySQL service has exactly "
            + "one master; add or remove slaves instead");
    assertThat(mysql.requireRole("master", "mysqlservice/db")).isEqualTo("master");
    assertThat(kinds.require("php").scalableRoles()).containsExactly("backend", "web", "proxy");
    assertThat(kinds.require("php").initialNodes()).isEqualTo(1);
  }

  @Test
  void describesSeleniumAsTheApiDoesWithItsOneHubFixed() {
    ServiceKinds kinds = ServiceKinds.standard();
    ServiceKind selenium = kinds.require("selenium");

    assertThat(selenium.kind()).isEqualTo("SeleniumService");
    assertThat(kinds.find("seleniumservices.conpaas.io")).contains(selenium);
    assertThat(selenium.roles()).containsExactly("nodes", "hub");
    assertThat(selenium.scaleRole()).isEqualTo("nodes");
    assertThat(selenium.scalableRoles()).containsExactly("nodes");
    assertThat(selenium.initialNodes()).isEqualTo(1);
    assertThat(selenium.features()).isEmpty();
    assertThatThrownBy(() -> selenium.requireScalableRole("hub", "seleniumservice/grid"))
        .hasMessageStartingWith("cannot change the nodes of role hub of seleniumservice/grid: a Selenium service "
            + "has exactly one hub");
  }

  @Test
  void aFixedRoleMustBeAnotherRoleThanTheScaleRole() {
    ServiceKind hello = ServiceKinds.standard().require("helloworld");

    assertThatThrownBy(() -> hello.fixing("agents", "no")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hello.fixing("nope", "no")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hello.startingWith(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The field of the class or of a superclass (settings may live in a shared spec type, e.g. BagServiceSpec). */
  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // Look further up.
      }
    }
    throw new NoSuchFieldException(type.getName() + "." + name);
  }

  /** The registry is written by hand; this keeps it true to the resource classes in crds/. */
  @Test
  void everyRegisteredKindMatchesItsResourceClass() throws Exception {
    for (ServiceKind kind : ServiceKinds.standard().all()) {
      Class<?> resource = Class.forName("io.conpaas.api.v1alpha1." + kind.kind());
      Class<?> specClass = (Class<?>) ((ParameterizedType) resource.getGenericSuperclass()).getActualTypeArguments()[0];
      ServiceSpec spec = (ServiceSpec) specClass.getDeclaredConstructor().newInstance();

      assertThat(spec.roles().keySet()).as(kind.kind() + " roles").containsExactlyInAnyOrderElementsOf(kind.roles());
      Field scale = specClass.getDeclaredField(kind.scaleRole());
      assertThat(scale.getType()).as(kind.kind() + " scale role").isEqualTo(ScaleRoleSpec.class);
      for (String setting : kind.settings()) {
        assertThat(field(specClass, setting).getType()).as(kind.kind() + "." + setting)
            .isEqualTo(String.class);
      }
      assertThat(kind.has(ServiceKind.Feature.CODE)).as(kind.kind() + " has code")
          .isEqualTo(WebServiceSpec.class.isAssignableFrom(specClass));
      assertThat(kind.has(ServiceKind.Feature.DEBUG)).as(kind.kind() + " has debug")
          .isEqualTo(Arrays.stream(specClass.getDeclaredFields()).anyMatch(f -> f.getName().equals("debug")));
      assertThat(kind.has(ServiceKind.Feature.DATABASE)).as(kind.kind() + " has a database")
          .isEqualTo(Arrays.stream(specClass.getDeclaredFields())
              .anyMatch(f -> f.getName().equals("passwordSecretRef")));
      for (String fixed : kind.fixedRoles().keySet()) {
        assertThat(specClass.getDeclaredField(fixed).getType()).as(kind.kind() + "." + fixed)
            .isNotEqualTo(ScaleRoleSpec.class);
      }
    }
  }

  @Test
  void theStandardKindsAreTheRegisteredKindsWithTheirFeatures() {
    ServiceKinds kinds = ServiceKinds.standard();
    assertThat(kinds.all()).extracting(ServiceKind::kind).containsExactlyElementsOf(
        io.conpaas.api.v1alpha1.KindRegistry.SERVICE_KINDS.stream()
            .map(io.conpaas.api.v1alpha1.RegisteredKind::kind).toList());
    assertThat(kinds.kindsWith(ServiceKind.Feature.CODE)).isEqualTo("PhpService, JavaService");
    assertThat(kinds.kindsWith(ServiceKind.Feature.DEBUG)).isEqualTo("PhpService");
    assertThat(kinds.kindsWith(ServiceKind.Feature.DATABASE)).isEqualTo("MysqlService");
    assertThat(kinds.require("mysql").scaleRole()).isEqualTo("slaves");
    assertThat(kinds.require("mysql").initialNodes()).isZero();
    assertThat(kinds.require("mysql").scalableRoles()).containsExactly("slaves");
    assertThat(kinds.require("helloworld").settings()).containsExactly("message");
    assertThat(kinds.require("php").roles()).containsExactly("backend", "web", "proxy");
  }
}
