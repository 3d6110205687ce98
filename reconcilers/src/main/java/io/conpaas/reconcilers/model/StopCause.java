package io.conpaas.reconcilers.model;

/**
 * Why a service the user did not stop is held stopped (e.g. credits exhausted): the reason its
 * Ready condition carries and the message its status shows.
 */
public record StopCause(String reason, String message) {}
