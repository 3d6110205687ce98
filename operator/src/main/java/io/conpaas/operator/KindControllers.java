package io.conpaas.operator;

import io.conpaas.reconcilers.credits.CreditGate;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.MysqlService;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RegisteredKind;
import io.conpaas.api.v1alpha1.ScalarisService;
import io.conpaas.api.v1alpha1.SeleniumService;
import io.conpaas.reconcilers.code.CodeSourceFetcher;
import io.conpaas.reconcilers.code.CodeStore;
import io.conpaas.reconcilers.kv.ScalarisServiceReconciler;
import io.conpaas.reconcilers.mysql.MysqlServiceReconciler;
import io.conpaas.reconcilers.mysql.MysqlSecrets;
import io.conpaas.reconcilers.selenium.SeleniumServiceReconciler;
import io.conpaas.reconcilers.service.Databases;
import io.conpaas.reconcilers.service.HelloWorldServiceReconciler;
import io.conpaas.reconcilers.service.JavaServiceReconciler;
import io.conpaas.reconcilers.service.PhpServiceReconciler;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator side of each kind in {@link KindRegistry}: how its reconciler is built from the
 * parts every kind may use. A registered kind without a line here stops the operator at start.
 */
final class KindControllers {
  /** What kinds' reconcilers are built from (one instance each, shared). */
  record Parts(CodeStore store, CodeSourceFetcher fetcher, Databases databases, MysqlSecrets mysqlSecrets,
      boolean watchMysqlSecrets, EventRecorder events, Clock clock, CreditGate credits) {}

  static final Map<Class<?>, Function<Parts, Reconciler<?>>> FACTORIES = Map.of(
      HelloWorldService.class, p -> new HelloWorldServiceReconciler(p.events(), p.clock(), p.credits()),
      io.conpaas.api.v1alpha1.MapReduceService.class,
      p -> new io.conpaas.reconcilers.mapreduce.MapReduceServiceReconciler(p.events(), p.clock(), p.credits()),
      io.conpaas.api.v1alpha1.XtreemFsService.class,
      p -> new io.conpaas.reconcilers.xtreemfs.XtreemFsServiceReconciler(p.events(), p.clock(), p.credits()),
      PhpService.class, p -> new PhpServiceReconciler(p.store(), p.fetcher(), p.databases(), p.events(), p.clock(),
          p.credits()),
      JavaService.class, p -> new JavaServiceReconciler(p.store(), p.fetcher(), p.events(), p.clock(), p.credits()),
      // Password resets are watched where the chart granted Secret access everywhere reconciled, else polled.
      MysqlService.class, p -> new MysqlServiceReconciler(p.mysqlSecrets(), p.watchMysqlSecrets(), p.events(), p.clock(),
          p.credits()),
      ScalarisService.class, p -> new ScalarisServiceReconciler(p.events(), p.clock(), p.credits()),
      SeleniumService.class, p -> new SeleniumServiceReconciler(p.events(), p.clock(), p.credits()),
      io.conpaas.api.v1alpha1.TaskFarmService.class,
      p -> new io.conpaas.reconcilers.taskfarm.TaskFarmServiceReconciler(p.events(), p.clock(), p.credits()),
      io.conpaas.api.v1alpha1.HtcService.class,
      p -> new io.conpaas.reconcilers.htc.HtcServiceReconciler(p.events(), p.clock(), p.credits()));

  private KindControllers() {}

  /** One reconciler per registered kind, in registry order. */
  static List<Reconciler<?>> forRegisteredKinds(Parts parts) {
    return KindRegistry.SERVICE_KINDS.stream().<Reconciler<?>>map(k -> factory(k).apply(parts)).toList();
  }

  static Function<Parts, Reconciler<?>> factory(RegisteredKind kind) {
    Function<Parts, Reconciler<?>> f = FACTORIES.get(kind.resource());
    if (f == null) {
      throw new IllegalStateException(kind.kind() + " is registered in KindRegistry but has no reconciler in "
          + "KindControllers");
    }
    return f;
  }
}
