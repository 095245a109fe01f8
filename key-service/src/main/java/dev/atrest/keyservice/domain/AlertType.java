package dev.atrest.keyservice.domain;

/** What an alert is about. A project has at most one open alert of each type. */
public enum AlertType {
    /** The CMK has not changed for longer than the project's threshold; closes when it changes. */
    CMK_ROTATION_OVERDUE,
    /** KMS answered that the CMK cannot be used (disabled, pending deletion, access denied, deleted): lock-out. */
    KEY_INVALID,
    /** KMS could not be reached or timed out: says nothing about the key, so no lock-out. */
    KMS_UNREACHABLE
}
