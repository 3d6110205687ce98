package io.conpaas.iaas.opennebula;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reversible mapping between VmTags keys and OpenNebula attribute names, which allow only
 * [A-Z0-9_] ('/' and '.' are not allowed, and OpenNebula upper-cases names):
 * {@code conpaas.io/agent-uid} is {@code CONPAAS_AGENT_UID} and back. Only keys under
 * {@code conpaas.io/} whose rest is [a-z0-9-] are mapped, which keeps the mapping a bijection.
 */
final class OneTagAttributes {
  private static final String KEY_PREFIX = "conpaas.io/";
  private static final String ATTRIBUTE_PREFIX = "CONPAAS_";
  private static final Pattern KEY = Pattern.compile("conpaas\\.io/[a-z0-9][a-z0-9-]*");
  private static final Pattern ATTRIBUTE = Pattern.compile("CONPAAS_[A-Z0-9][A-Z0-9_]*");

  private OneTagAttributes() {}

  /** The attribute name of a tag key; IllegalArgumentException for keys outside the mapping. */
  static String attributeFor(String tagKey) {
    if (!KEY.matcher(tagKey).matches()) {
      throw new IllegalArgumentException("tag key " + tagKey + " has no OpenNebula attribute name (expected "
          + KEY_PREFIX + "[a-z0-9-]+)");
    }
    return ATTRIBUTE_PREFIX + tagKey.substring(KEY_PREFIX.length()).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** The tag key an attribute name stands for, empty for attributes that are not tags. */
  static Optional<String> tagFor(String attributeName) {
    if (!ATTRIBUTE.matcher(attributeName).matches()) {
      return Optional.empty();
    }
    return Optional.of(KEY_PREFIX
        + attributeName.substring(ATTRIBUTE_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-'));
  }
}
