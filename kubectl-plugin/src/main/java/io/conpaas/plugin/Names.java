package io.conpaas.plugin;

import java.util.regex.Pattern;

/** Client-side checks of the names a user types, so mistakes fail before anything is sent. */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private Names() {}

  /**
   * Fails unless {@code value} is a DNS-1123 label (lower case letters, digits and '-', at most 63
   * characters): service names become label values and prefixes of Agent names.
   */
  public static String requireDnsLabel(String what, String value) {
    if (value == null || value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
      throw new CliException(what + " '" + value + "' is not valid: use at most 63 lower case letters, "
          + "digits and '-', starting and ending with a letter or digit", 2);
    }
    return value;
  }

  /**
   * Fails unless {@code value} can name an object and also be a label value (a DNS-1123 subdomain
   * of at most 63 characters), as an Application name must.
   */
  public static String requireObjectName(String what, String value) {
    if (value == null || value.length() > 63 || !DNS_SUBDOMAIN.matcher(value).matches()) {
      throw new CliException(what + " '" + value + "' is not valid: use at most 63 lower case letters, "
          + "digits, '-' and '.', starting and ending with a letter or digit", 2);
    }
    return value;
  }
}
