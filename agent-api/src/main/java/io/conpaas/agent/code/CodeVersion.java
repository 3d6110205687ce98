package io.conpaas.agent.code;

/** One uploaded code version as listed at /code/versions: name, upload digest and size, expanded files, upload time. */
public record CodeVersion(String version, String format, String sha256, long bytes, int files, String uploaded) {
}
