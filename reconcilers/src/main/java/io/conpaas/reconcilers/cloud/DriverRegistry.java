package io.conpaas.reconcilers.cloud;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.iaas.IaasDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One driver per Cloud, rebuilt when the Cloud's spec (generation) or its credentials Secret
 * (resourceVersion) changes. The Secret is re-read at most every credentialsMaxAge, not on
 * every call.
 */
public final class DriverRegistry {
  private record Entry(long generation, String credentialsVersion, Instant checkedAt, IaasDriver driver) {}

  private final DriverFactory factory;
  private final CredentialSource credentials;
  private final Duration credentialsMaxAge;
  private final Clock clock;
  private final Map<String, Entry> drivers = new ConcurrentHashMap<>();

  public DriverRegistry(DriverFactory factory, CredentialSource credentials, Duration credentialsMaxAge,
      Clock clock) {
    this.factory = factory;
    this.credentials = credentials;
    this.credentialsMaxAge = credentialsMaxAge;
    this.clock = clock;
  }

  /** A registry for clouds that need no credentials (tests, the local cloud). */
  public static DriverRegistry withoutCredentials(DriverFactory factory) {
    return new DriverRegistry(factory, c -> CloudCredentials.NONE, Duration.ofDays(1), Clock.systemUTC());
  }

  public IaasDriver forCloud(Cloud cloud) {
    long generation = cloud.getMetadata().getGeneration() == null ? 0 : cloud.getMetadata().getGeneration();
    Instant now = clock.instant();
    return drivers.compute(cloud.getMetadata().getName(), (name, old) -> {
      if (old != null && old.generation == generation && old.checkedAt.plus(credentialsMaxAge).isAfter(now)) {
        return old;
      }
      CloudCredentials creds = credentials.forCloud(cloud);
      if (old != null && old.generation == generation && Objects.equals(old.credentialsVersion, creds.version())) {
        return new Entry(generation, creds.version(), now, old.driver);
      }
      IaasDriver fresh = factory.create(cloud, creds);
      if (old != null) {
        closeQuietly(old.driver);
      }
      return new Entry(generation, creds.version(), now, fresh);
    }).driver();
  }

  /** Drops (and closes) the driver of a Cloud that is gone. */
  public void forget(String cloudName) {
    Entry old = drivers.remove(cloudName);
    if (old != null) {
      closeQuietly(old.driver);
    }
  }

  /** Drivers that hold connections (EC2's client) release them when replaced. */
  private static void closeQuietly(IaasDriver driver) {
    if (driver instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // A driver that fails to close leaks at most its idle connections.
      }
    }
  }
}
