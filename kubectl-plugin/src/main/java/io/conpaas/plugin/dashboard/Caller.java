package io.conpaas.plugin.dashboard;

/** One identity's access: the JSON calls and the live updates, both with that identity's client. */
record Caller(DashboardApi api, LiveUpdates live) {}
