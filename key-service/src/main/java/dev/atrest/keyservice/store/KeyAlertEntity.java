package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.domain.AlertType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One alert about a project's keys; closed alerts are kept as history. */
@Entity
@Table(name = "key_alert")
public class KeyAlertEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    public AlertType type;

    @Column(updatable = false)
    public String detail;

    @Column(name = "opened_time", nullable = false, updatable = false)
    public Instant openedTime;

    @Column(name = "closed_time")
    public Instant closedTime;

    public static KeyAlertEntity of(Alert alert) {
        KeyAlertEntity row = new KeyAlertEntity();
        row.projectId = alert.projectId();
        row.type = alert.type();
        row.detail = alert.detail();
        row.openedTime = alert.openedTime();
        row.closedTime = alert.closedTime();
        return row;
    }

    public Alert toDomain() {
        return new Alert(type, projectId, openedTime, closedTime, detail);
    }
}
