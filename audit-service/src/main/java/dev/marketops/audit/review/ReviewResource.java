package dev.marketops.audit.review;

import dev.marketops.audit.access.TaskVisibility;
import dev.marketops.audit.worker.AuditLogEntry;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manual review queue (AUDIT_DECIDE: auditors and admins) and the audit log of a task
 * (LISTING_READ; a merchant only of its own tasks). The reviewer recorded on a claim or a
 * decision is always the token's user: no body names who decides.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReviewResource {

    /** "open" = pending or claimed. */
    private static final Set<String> STATUSES = Set.of("open", "pending", "claimed", "approved", "rejected");

    public record ReviewView(long reviewId, long taskId, long taskVersion, long categoryId, String sourceType,
                             String sourceUserType, String title, Map<String, Object> validationResult, String status,
                             Long claimedBy, Long decidedBy, String decisionComment, OffsetDateTime submittedAt,
                             OffsetDateTime decidedAt) {
        static ReviewView of(ManualReview r) {
            return new ReviewView(r.reviewId, r.taskId, r.taskVersion, r.categoryId, r.sourceType, r.sourceUserType,
                    r.title, r.validationResult, r.status, r.claimedBy, r.decidedBy, r.decisionComment, r.submittedAt,
                    r.decidedAt);
        }
    }

    public record Decision(String comment) {
    }

    public record LogView(String auditType, String auditAction, String auditReason, List<String> rulesApplied,
                          Map<String, Object> ruleResults, Long auditorId, String auditorType, Integer durationMs,
                          OffsetDateTime auditTime) {
    }

    @Inject
    ReviewService reviews;
    @Inject
    Caller caller;
    @Inject
    TaskVisibility visibility;

    @GET
    @Path("reviews")
    @PermissionsAllowed(Permission.Names.AUDIT_DECIDE)
    public Page<ReviewView> list(@QueryParam("status") @DefaultValue("pending") String status,
                         @QueryParam("taskId") Long taskId, @QueryParam("categoryId") Long categoryId, @QueryParam("sourceType") String sourceType,
                         @QueryParam("olderThanMinutes") Integer olderThanMinutes,
                         @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        if (!STATUSES.contains(status)) {
            throw ApiProblem.invalidField("status", "must be one of " + STATUSES, status);
        }
        Page.check(page, size);
        ReviewService.Found found = reviews.list(new ReviewService.Query(status, taskId, categoryId, sourceType, olderThanMinutes, page, size));
        return new Page<>(found.items().stream().map(ReviewView::of).toList(), page, size, found.total());
    }

    @GET
    @Path("reviews/{id}")
    @PermissionsAllowed(Permission.Names.AUDIT_DECIDE)
    public ReviewView get(@PathParam("id") long id) {
        return ReviewView.of(reviews.get(id));
    }

    @POST
    @Path("reviews/{id}/claim")
    @Consumes(MediaType.WILDCARD) // no body: the auditor is the caller
    @PermissionsAllowed(Permission.Names.AUDIT_DECIDE)
    public ReviewView claim(@PathParam("id") long id) {
        return ReviewView.of(reviews.claim(id, caller.userId()));
    }

    @POST
    @Path("reviews/{id}/approve")
    @PermissionsAllowed(Permission.Names.AUDIT_DECIDE)
    public ReviewView approve(@PathParam("id") long id, Decision body) {
        return ReviewView.of(reviews.decide(id, caller.userId(), true, body == null ? null : body.comment()));
    }

    @POST
    @Path("reviews/{id}/reject")
    @PermissionsAllowed(Permission.Names.AUDIT_DECIDE)
    public ReviewView reject(@PathParam("id") long id, Decision body) {
        return ReviewView.of(reviews.decide(id, caller.userId(), false, body == null ? null : body.comment()));
    }

    @GET
    @Path("audit-logs")
    @PermissionsAllowed(Permission.Names.LISTING_READ)
    public List<LogView> logs(@QueryParam("taskId") Long taskId) {
        if (taskId == null) {
            throw ApiProblem.missingField("taskId");
        }
        visibility.requireVisible(taskId);
        return AuditLogEntry.ofTask(taskId).stream().map(l -> new LogView(l.auditType, l.auditAction, l.auditReason,
                l.rulesApplied, l.ruleResults, l.auditorId, l.auditorType, l.durationMs, l.auditTime)).toList();
    }
}
