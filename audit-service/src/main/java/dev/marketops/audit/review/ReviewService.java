package dev.marketops.audit.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.audit.worker.AuditLogEntry;
import dev.marketops.audit.worker.ListingClient;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.proto.listing.TransitionRequest;
import io.grpc.StatusRuntimeException;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The manual review queue: auditors list, claim, approve or reject what the AuditWorker queued. */
@ApplicationScoped
public class ReviewService {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ListingClient listing;

    public record Query(String status, Long taskId, Long categoryId, String sourceType, Integer olderThanMinutes, int page, int size) {
    }

    public record Found(List<ManualReview> items, long total) {
    }

    public Found list(Query q) {
        // "open": what still needs a decision, pending or claimed, in one queue (oldest first)
        StringBuilder where = new StringBuilder("status in :statuses");
        Map<String, Object> params = new HashMap<>();
        params.put("statuses", "open".equals(q.status()) ? List.of("pending", "claimed") : List.of(q.status()));
        if (q.taskId() != null) {
            where.append(" and taskId = :taskId");
            params.put("taskId", q.taskId());
        }
        if (q.categoryId() != null) {
            where.append(" and categoryId = :categoryId");
            params.put("categoryId", q.categoryId());
        }
        if (q.sourceType() != null) {
            where.append(" and sourceType = :sourceType");
            params.put("sourceType", q.sourceType());
        }
        if (q.olderThanMinutes() != null) {
            where.append(" and submittedAt <= :before");
            params.put("before", OffsetDateTime.now().minusMinutes(q.olderThanMinutes()));
        }
        var query = ManualReview.<ManualReview>find(where + " order by submittedAt, reviewId", params);
        return new Found(query.page(Page.of(q.page(), q.size())).list(), query.count());
    }

    public ManualReview get(long reviewId) {
        return ManualReview.<ManualReview>findByIdOptional(reviewId).orElseThrow(() ->
                ApiProblem.notFound("UNKNOWN_REVIEW", "no review " + reviewId).with("reviewId", reviewId));
    }

    @Transactional
    public ManualReview claim(long reviewId, long auditorId) {
        ManualReview r = get(reviewId);
        if ("claimed".equals(r.status) && r.claimedBy == auditorId) {
            return r;
        }
        if (!"pending".equals(r.status)) {
            throw ApiProblem.conflict("REVIEW_NOT_PENDING", "review " + reviewId + " is " + r.status
                    + (r.claimedBy == null ? "" : " by auditor " + r.claimedBy)).with("status", r.status).with("claimedBy", r.claimedBy);
        }
        r.status = "claimed";
        r.claimedBy = auditorId;
        r.claimedAt = OffsetDateTime.now();
        return r;
    }

    @Transactional
    public ManualReview decide(long reviewId, long auditorId, boolean approve, String comment) {
        if (!approve && (comment == null || comment.isBlank())) {
            throw ApiProblem.missingField("comment").with("reason", "a rejection must say why");
        }
        ManualReview r = get(reviewId);
        if (!"pending".equals(r.status) && !"claimed".equals(r.status)) {
            throw ApiProblem.conflict("REVIEW_ALREADY_DECIDED", "review " + reviewId + " was already " + r.status)
                    .with("status", r.status);
        }
        if ("claimed".equals(r.status) && r.claimedBy != auditorId) {
            throw ApiProblem.conflict("REVIEW_CLAIMED_BY_OTHER", "review " + reviewId + " is claimed by auditor " + r.claimedBy)
                    .with("claimedBy", r.claimedBy);
        }
        String action = approve ? "approve" : "reject";
        try {
            int decided = approve ? 11 : 12;
            ListingClient.Outcome outcome = listing.decide(TransitionRequest.newBuilder().setTaskId(r.taskId).setAction(action)
                    .setExpectedVersion(r.taskVersion).setOperatorId(auditorId).setOperatorType("auditor")
                    .setAuditType("manual").setReason(comment == null ? "approved by auditor" : comment)
                    .setValidationResultJson(json(r.validationResult)).build(), decided);
            if (outcome == ListingClient.Outcome.SUPERSEDED) {
                // The merchant withdrew or changed the listing while it waited: this review is about a version that is gone.
                throw ApiProblem.conflict("REVIEW_STALE", "task " + r.taskId + " changed since version " + r.taskVersion
                        + " was queued for review; review the new submission instead").with("taskId", r.taskId);
            }
        } catch (StatusRuntimeException e) {
            throw ApiProblem.unavailable("LISTING_UNAVAILABLE", "listing-service refused or could not apply the decision: "
                    + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
        r.status = approve ? "approved" : "rejected";
        r.decidedBy = auditorId;
        r.decidedAt = OffsetDateTime.now();
        r.decisionComment = comment;

        AuditLogEntry log = new AuditLogEntry();
        log.taskId = r.taskId;
        log.categoryId = r.categoryId;
        log.sourceType = r.sourceType;
        log.sourceUserType = r.sourceUserType;
        log.auditType = "manual";
        log.auditAction = action;
        log.auditReason = comment;
        log.rulesApplied = List.of("manual_review");
        log.ruleResults = r.validationResult;
        log.auditorId = auditorId;
        log.auditorType = "auditor";
        log.durationMs = (int) java.time.Duration.between(r.submittedAt, r.decidedAt).toMillis();
        log.auditTime = r.decidedAt;
        log.persist();
        return r;
    }

    private static String json(Object o) {
        try {
            return o == null ? "" : JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
