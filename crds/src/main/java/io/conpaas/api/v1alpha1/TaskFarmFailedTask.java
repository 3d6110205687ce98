package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A task that failed after its attempts. */
public class TaskFarmFailedTask {
  @JsonPropertyDescription("Its line in the bag (1-based).")
  private Integer line;

  @JsonPropertyDescription("The command (first 200 characters).")
  private String command;

  @JsonPropertyDescription("Exit code of its last attempt (-1: killed at the timeout).")
  private Integer exitCode;

  @JsonPropertyDescription("Attempts made.")
  private Integer attempts;

  @JsonPropertyDescription("The last 512 bytes of its last attempt's output.")
  private String outputTail;

  public TaskFarmFailedTask() {}

  public TaskFarmFailedTask(int line, String command, int exitCode, int attempts, String outputTail) {
    this.line = line;
    this.command = command;
    this.exitCode = exitCode;
    this.attempts = attempts;
    this.outputTail = outputTail;
  }

  public Integer getLine() { return line; }
  public void setLine(Integer line) { this.line = line; }
  public String getCommand() { return command; }
  public void setCommand(String command) { this.command = command; }
  public Integer getExitCode() { return exitCode; }
  public void setExitCode(Integer exitCode) { this.exitCode = exitCode; }
  public Integer getAttempts() { return attempts; }
  public void setAttempts(Integer attempts) { this.attempts = attempts; }
  public String getOutputTail() { return outputTail; }
  public void setOutputTail(String outputTail) { this.outputTail = outputTail; }
}
