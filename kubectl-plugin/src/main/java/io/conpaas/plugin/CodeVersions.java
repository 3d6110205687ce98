package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeSpec;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Code version names: the default name of the next upload and the checks users see. */
public final class CodeVersions {
  private static final Pattern NUMBERED = Pattern.compile("v(\\d+)");
  private static final Pattern VALID = Pattern.compile(CodeSpec.VERSION_PATTERN);

  private CodeVersions() {}

  /** {@code v<N+1>} for the highest N among the names {@code v<digits>} in {@code existing}; v1 when none. */
  public static String next(Collection<String> existing) {
    BigInteger highest = BigInteger.ZERO;
    for (String name : existing) {
      Matcher m = name == null ? null : NUMBERED.matcher(name);
      if (m != null && m.matches()) {
        highest = highest.max(new BigInteger(m.group(1)));
      }
    }
    return "v" + highest.add(BigInteger.ONE);
  }

  /** The names of {@code versions}, in their order. */
  public static List<String> names(Collection<CodeVersionStatus> versions) {
    return versions.stream().map(CodeVersionStatus::getVersion).filter(Objects::nonNull).toList();
  }

  /** Fails (usage error) unless {@code version} is a name the API accepts. */
  public static String requireValid(String version) {
    if (version == null || !VALID.matcher(version).matches()) {
      throw new CliException("version '" + version + "' is not valid: use 1 to 63 letters, digits, '.', '_' "
          + "and '-', starting with a letter or digit", 2);
    }
    return version;
  }

  /** The names the known versions are listed with in messages: "v1, v2", or "none uploaded yet". */
  public static String describe(Collection<String> names) {
    return names.isEmpty() ? "none uploaded yet" : String.join(", ", names);
  }

  /**
   * The generateName of the CodeUpload for {@code version} of {@code service}: {@code SERVICE-VERSION-},
   * with the version lower-cased and anything but letters, digits and '-' turned into '-', so that
   * the server's name is a valid object name.
   */
  public static String uploadNamePrefix(String service, String version) {
    String v = version.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return service + "-" + v + "-";
  }
}
