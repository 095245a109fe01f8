package dev.atrest.keyservice.domain;

import dev.atrest.keyservice.domain.AlertChanges.ProjectValidity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which alerts of a project to open and close after a health check. A pure function of what is stored
 * and what the check found, so that running it twice, or on two replicas, opens nothing new.
 */
public final class AlertDecisions {
    private AlertDecisions() {}

    /**
     * @param alerts             the project's alerts as stored; closed ones are ignored
     * @param outcome            what the CMK check found
     * @param cmkLastChangedTime when the CMK last changed, or null if the project has never had one
     */
    public static AlertChanges decide(String projectId, Collection<Alert> alerts, ValidationOutcome outcome,
                                      Instant cmkLastChangedTime, CmkAgePolicy cmkAgePolicy, Instant now) {
        Map<AlertType, String> wanted = new EnumMap<>(AlertType.class);
        List<AlertType> unwanted = new ArrayList<>();
        ProjectValidity validity;
        if (outcome instanceof ValidationOutcome.Invalid invalid) {
            wanted.put(AlertType.KEY_INVALID, "the CMK cannot be used: " + invalid.reason());
            unwanted.add(AlertType.KMS_UNREACHABLE); // KMS answered, so it is reachable
            validity = ProjectValidity.INVALID;
        } else if (outcome instanceof ValidationOutcome.Unreachable unreachable) {
            // No verdict on the key: an open KEY_INVALID stays open, and nothing is locked out that was not.
            wanted.put(AlertType.KMS_UNREACHABLE, "KMS could not be reached: " + unreachable.reason());
            validity = ProjectValidity.UNCHANGED;
        } else {
            unwanted.add(AlertType.KEY_INVALID);
            unwanted.add(AlertType.KMS_UNREACHABLE);
            validity = ProjectValidity.VALID;
        }
        if (cmkAgePolicy.isOverdue(cmkLastChangedTime, now)) {
            wanted.put(AlertType.CMK_ROTATION_OVERDUE, "the CMK has not changed since " + cmkLastChangedTime
                    + ", more than " + cmkAgePolicy.alertDays() + " days");
        } else {
            unwanted.add(AlertType.CMK_ROTATION_OVERDUE);
        }
        return apply(projectId, alerts, wanted, unwanted, validity, now);
    }

    /** A project whose encryption is disabled has no CMK in force: every open alert closes. */
    public static AlertChanges forDisabledProject(String projectId, Collection<Alert> alerts, Instant now) {
        return apply(projectId, alerts, Map.of(), List.of(AlertType.values()), ProjectValidity.UNCHANGED, now);
    }

    private static AlertChanges apply(String projectId, Collection<Alert> alerts, Map<AlertType, String> wanted,
                                      List<AlertType> unwanted, ProjectValidity validity, Instant now) {
        Map<AlertType, List<Alert>> open = openByType(projectId, alerts);
        List<Alert> toOpen = new ArrayList<>();
        List<Alert> toClose = new ArrayList<>();
        wanted.forEach((type, detail) -> {
            List<Alert> current = open.get(type);
            if (current.isEmpty()) {
                toOpen.add(Alert.open(type, projectId, now, detail));
            } else {
                // Two replicas may once have raced: keep the oldest, which says since when.
                current.subList(1, current.size()).forEach(extra -> toClose.add(extra.closedAt(now)));
            }
        });
        unwanted.forEach(type -> open.get(type).forEach(alert -> toClose.add(alert.closedAt(now))));
        return new AlertChanges(toOpen, toClose, validity);
    }

    private static Map<AlertType, List<Alert>> openByType(String projectId, Collection<Alert> alerts) {
        Map<AlertType, List<Alert>> open = new EnumMap<>(AlertType.class);
        for (AlertType type : AlertType.values()) {
            open.put(type, new ArrayList<>());
        }
        for (Alert alert : alerts) {
            if (!alert.projectId().equals(projectId)) {
                throw new IllegalArgumentException("alert of project " + alert.projectId() + " given for " + projectId);
            }
            if (alert.isOpen()) {
                open.get(alert.type()).add(alert);
            }
        }
        open.values().forEach(list -> list.sort(Comparator.comparing(Alert::openedTime)));
        return open;
    }
}
