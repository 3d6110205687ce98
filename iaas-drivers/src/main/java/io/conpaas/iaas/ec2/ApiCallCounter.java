package io.conpaas.iaas.ec2;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts EC2 API calls (one per SDK call, whatever its retries) and HTTP attempts (retries
 * included) by operation name; thread-safe, registered on the client as an interceptor.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
  private final ConcurrentMap<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> attempts = new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    increment(calls, attributes);
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    increment(attempts, attributes);
  }

  /** Calls per operation name (e.g. DescribeInstances), sorted by name. */
  public Map<String, Long> calls() {
    return snapshot(calls);
  }

  /** HTTP attempts per operation name: calls plus their retries. */
  public Map<String, Long> attempts() {
    return snapshot(attempts);
  }

  private static void increment(ConcurrentMap<String, LongAdder> counts, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(operation == null ? "unknown" : operation, k -> new LongAdder()).increment();
  }

  private static Map<String, Long> snapshot(ConcurrentMap<String, LongAdder> counts) {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((operation, n) -> copy.put(operation, n.sum()));
    return copy;
  }
}
