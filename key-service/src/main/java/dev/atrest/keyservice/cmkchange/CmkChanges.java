package dev.atrest.keyservice.cmkchange;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.domain.CmkChangeProgress;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.health.KeyMetrics;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.JobLocks;
import dev.atrest.keyservice.store.LockLostException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finishes CMK changes: moves every master key of a project from the old root key to the new one, one at
 * a time, while the service keeps serving (a master key reads under whichever root key its row names).
 * The old CMK must stay usable until this ends. A failure midway is reported, recorded on the change, and
 * retried by the same update again or by the periodic check; nothing done is undone.
 */
@ApplicationScoped
public class CmkChanges {
    private static final Logger LOG = Logger.getLogger(CmkChanges.class);

    private final CmkChangeSteps steps;
    private final JobLocks locks;
    private final KeyMetrics metrics;
    private final AuditLog audit;

    CmkChanges(CmkChangeSteps steps, JobLocks locks, KeyMetrics metrics, AuditLog audit) {
        this.steps = steps;
        this.locks = locks;
        this.metrics = metrics;
        this.audit = audit;
    }

    /**
     * Moves what is left and returns the project. If another run (here or on another replica) is already
     * moving this project's keys, or takes this run's lock over midway, returns the progress so far instead
     * of waiting.
     */
    public ProjectEncryption complete(String projectId) {
        Optional<JobLock> lock = locks.tryLock("cmk-change:" + projectId);
        if (lock.isEmpty()) {
            return steps.describe(projectId);
        }
        try (JobLock held = lock.get()) {
            for (long masterKeyId : steps.keysToMove(projectId)) {
                move(projectId, masterKeyId, held);
            }
            if (steps.finish(projectId, held)) {
                metrics.refresh(); // the CMK's age starts again
                LOG.infof("project %s: every master key is under the new root key; the CMK change is finished",
                        projectId);
                audit.recordFact(AuditEvent.byService("cmk_change.completed", AuditEvent.project(projectId), "OK",
                        "every master key is under the new root key"));
            }
        } catch (LockLostException e) {
            // Another replica took the change over (this one was presumed dead): it carries on from here.
            LOG.infof("project %s: %s", projectId, e.getMessage());
        }
        return steps.describe(projectId);
    }

    /** The project with the progress of its CMK change, if one is unfinished. */
    public ProjectEncryption progress(String projectId) {
        return steps.describe(projectId);
    }

    /** Finishes every CMK change a failure or a restart left unfinished; one project's failure stops no other. */
    public void resumeUnfinished() {
        for (String projectId : steps.unfinished()) {
            try {
                complete(projectId);
            } catch (RuntimeException e) {
                LOG.warnf("project %s: CMK change still unfinished, will retry: %s", projectId, e.getMessage());
            }
        }
    }

    private void move(String projectId, long masterKeyId, JobLock lock) {
        try {
            steps.move(projectId, masterKeyId, lock);
        } catch (PreconditionFailedException e) {
            steps.recordError(projectId, e.getMessage());
            throw unfinished(projectId, e);
        } catch (KmsUnavailableException e) {
            steps.recordError(projectId, e.getMessage());
            throw e;
        }
    }

    private PreconditionFailedException unfinished(String projectId, PreconditionFailedException cause) {
        CmkChangeProgress progress = steps.describe(projectId).cmkChange().orElseThrow();
        Map<String, String> metadata = new HashMap<>(cause.metadata());
        metadata.put("master_keys_rewrapped", Integer.toString(progress.masterKeysRewrapped()));
        metadata.put("master_keys_total", Integer.toString(progress.masterKeysTotal()));
        return new PreconditionFailedException(cause.reason(), "the CMK change of project " + projectId
                + " is not finished: " + progress.masterKeysRewrapped() + " of " + progress.masterKeysTotal()
                + " master keys are under the new CMK. " + cause.getMessage() + ". Both CMKs must be usable"
                + " until it finishes: fix the old CMK and send the same update again", metadata);
    }
}
