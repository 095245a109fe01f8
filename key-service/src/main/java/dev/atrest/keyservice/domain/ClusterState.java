package dev.atrest.keyservice.domain;

/** Whether a cluster's keys are in service. */
public enum ClusterState {
    ENABLED,
    DISABLED
}
