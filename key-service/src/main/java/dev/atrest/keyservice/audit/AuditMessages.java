package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.grpc.Timestamps;
import dev.atrest.v1.AnchorCheck;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.ListAuditRecordsResponse;
import dev.atrest.v1.VerifyAuditLogResponse;

/** Audit records and verdicts as atrest.v1 messages. */
final class AuditMessages {
    private AuditMessages() {}

    static ListAuditRecordsResponse toMessage(AuditPage page) {
        ListAuditRecordsResponse.Builder response = ListAuditRecordsResponse.newBuilder()
                .setNextAfterSequence(page.nextAfterSequence());
        for (StoredRecord record : page.records()) {
            AuditRecord.Builder message = AuditRecord.newBuilder()
                    .setSequence(record.sequence())
                    .setActor(record.event().actor())
                    .setAction(record.event().action())
                    .setResource(record.event().resource())
                    .setOutcome(record.event().outcome())
                    .setDetail(record.event().detail());
            Timestamps.set(record.time(), message::setTime);
            response.addRecords(message);
        }
        return response.build();
    }

    static VerifyAuditLogResponse toMessage(ChainVerdict verdict) {
        VerifyAuditLogResponse.Builder response = VerifyAuditLogResponse.newBuilder()
                .setIntact(verdict.intact())
                .setRecordsVerified(verdict.recordsVerified())
                .setFirstBadSequence(verdict.firstBadSequence())
                .setProblem(verdict.problem())
                .setAnchorCheck(toMessage(verdict.anchorStatus()))
                .setCheckpointSequence(verdict.checkpointSequence())
                .setPrunedRecords(verdict.prunedCount());
        verdict.anchor().ifPresent(anchor -> {
            response.setAnchoredSequence(anchor.sequence());
            Timestamps.set(anchor.time(), response::setAnchoredTime);
        });
        return response.build();
    }

    private static AnchorCheck toMessage(AnchorStatus status) {
        return switch (status) {
            case NONE -> AnchorCheck.ANCHOR_NONE;
            case MATCHED -> AnchorCheck.ANCHOR_MATCHED;
            case MISMATCH -> AnchorCheck.ANCHOR_MISMATCH;
            case INVALID -> AnchorCheck.ANCHOR_INVALID;
            case NOT_REACHED -> AnchorCheck.ANCHOR_NOT_REACHED;
        };
    }
}
