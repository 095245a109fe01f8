package dev.atrest.keyservice.health;

/** Fired when a project's alerts open or close, so that views of them (metrics) can refresh after commit. */
public record AlertsChanged(String projectId) {}
