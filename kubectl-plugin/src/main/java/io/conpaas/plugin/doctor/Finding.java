package io.conpaas.plugin.doctor;

/** One line of the doctor's table: what was checked, how it went, what was seen, and how to fix a failure. */
public record Finding(String check, Outcome outcome, String detail, String fix) {
  /** OK passes; WARN is worth a look but passes; FAIL makes the doctor exit non-zero. */
  public enum Outcome { OK, WARN, FAIL }

  public static Finding ok(String check, String detail) {
    return new Finding(check, Outcome.OK, detail, "");
  }

  public static Finding warn(String check, String detail, String fix) {
    return new Finding(check, Outcome.WARN, detail, fix);
  }

  public static Finding fail(String check, String detail, String fix) {
    return new Finding(check, Outcome.FAIL, detail, fix);
  }

  public boolean failed() {
    return outcome == Outcome.FAIL;
  }
}
