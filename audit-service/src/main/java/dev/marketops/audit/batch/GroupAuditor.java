package dev.marketops.audit.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.audit.worker.AuditDecision;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.validation.ListingValidator;
import dev.marketops.validation.ValidationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Audits a group of submitted tasks in one pass, for both ways they arrive: a chunk of an
 * upload (BatchAuditWorker) and a poll's worth of single submissions (AuditWorker). The tasks
 * are read with one call; each is decided by its category x source strategy (skip approves,
 * fast track and auto run the validation engine and approve or reject with its findings,
 * manual queues the task for an auditor); the decisions are applied with one TransitionMany per
 * (action, strategy, reason) and logged with multi-row statements: each applied group at once in a
 * transaction of its own, the manual queue in the caller's transaction.
 *
 * <p>A submission names the version it was made at (single submissions do): a task that moved on
 * since (withdrawn, submitted again) is not decided for it, neither when read nor when moved.
 */
@ApplicationScoped
public class GroupAuditor {

    private static final Logger LOG = Logger.getLogger(GroupAuditor.class);
    static final int PENDING_AUDIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A task to audit; {@code version} null when any version of it in PENDING_AUDIT will do. */
    public record Submission(long taskId, Long version) {
    }

    /** One decision per task; what to do with it. */
    record Decision(ListingTaskReply task, AuditDecision strategy, String action, String reason,
                    Map<String, Object> findings, Long strategyConfigId) {
    }

    @Inject
    CategoryDirectory config;
    @Inject
    BatchListingClient listing;
    @Inject
    BatchAuditWriter writer;
    @Inject
    MeterRegistry meters;
    @Inject
    dev.marketops.audit.metrics.AuditMetrics auditMetrics;

    private final ListingValidator validator = ListingValidator.standard(Clock.systemUTC());

    /**
     * @param batchId the upload the tasks belong to (its approved tasks are announced as a chunk), or 0
     * @return how many tasks were decided (moved, or queued for an auditor)
     */
    public int audit(List<Submission> submissions, long batchId) throws Exception {
        long started = System.nanoTime();
        Map<Long, Long> expected = new HashMap<>();
        for (Submission s : submissions) {
            if (s.version() != null) {
                expected.put(s.taskId(), s.version());
            }
        }
        List<ListingTaskReply> tasks = listing.getTasks(submissions.stream().map(Submission::taskId).distinct().toList());
        Set<Long> queued = writer.alreadyQueued(tasks);
        List<Decision> decisions = new ArrayList<>(tasks.size());
        int movedOn = 0;
        for (ListingTaskReply t : tasks) {
            Long v = expected.get(t.getTaskId());
            if (t.getStatus() != PENDING_AUDIT || queued.contains(t.getTaskId()) || (v != null && v != t.getVersion())) {
                // decided already (a redelivery), waiting for an auditor, withdrawn, or submitted again since
                movedOn++;
                continue;
            }
            decisions.add(decide(t));
        }

        // Group by what listing-service is asked to do, so a group is a few calls.
        Map<List<String>, List<Decision>> groups = new LinkedHashMap<>();
        List<Decision> done = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            if ("queue".equals(d.action())) {
                done.add(d);
            } else {
                groups.computeIfAbsent(List.of(d.action(), d.strategy().wire(), d.reason()), k -> new ArrayList<>()).add(d);
            }
        }
        List<Decision> queuedNow = List.copyOf(done);
        for (Map.Entry<List<String>, List<Decision>> g : groups.entrySet()) {
            List<Long> ids = g.getValue().stream().map(d -> d.task().getTaskId()).toList();
            List<Long> versions = expected.isEmpty() ? List.of() : g.getValue().stream().map(d -> d.task().getVersion()).toList();
            Set<Long> moved = listing.transitionMany(ids, versions, g.getKey().get(0), g.getKey().get(1), g.getKey().get(2), batchId);
            List<Decision> applied = new ArrayList<>(moved.size());
            for (Decision d : g.getValue()) {
                if (moved.contains(d.task().getTaskId())) {
                    applied.add(d);
                } else {
                    movedOn++; // it moved between the read and the decision: the decision is not applied, nor logged
                }
            }
            // Logged at once, in a transaction of its own: these tasks have moved in listing-service.
            // A later group's failure rolls the caller's transaction back and the poll is delivered
            // again, and that retry finds these tasks decided already and skips them, so a log
            // written with the caller's transaction would be lost with it.
            int ms = (int) ((System.nanoTime() - started) / 1_000_000);
            QuarkusTransaction.requiringNew().run(() -> writer.record(applied, ms));
            done.addAll(applied);
        }
        // The manual queue is written here only: undone with the caller, its tasks are decided again.
        writer.record(queuedNow, (int) ((System.nanoTime() - started) / 1_000_000));
        for (Decision d : done) {
            meters.counter("marketops_audit_decisions_total", "strategy", d.strategy().wire(), "action", d.action()).increment();
            auditMetrics.decided(d.task().getSourceType(), d.strategy().wire(), d.task().getCategoryId());
        }
        if (movedOn > 0) {
            meters.counter("marketops_audit_skipped_total", "reason", "already_decided").increment(movedOn);
        }
        LOG.debugf("%d tasks audited in %d ms (%d groups, %d moved on before their decision)", done.size(),
                (System.nanoTime() - started) / 1_000_000, groups.size(), movedOn);
        return done.size();
    }

    private Decision decide(ListingTaskReply t) throws Exception {
        AuditStrategyDecision strategy = config.auditStrategy(t.getCategoryId(), t.getSourceType(), t.getSourceUserType());
        AuditDecision decision = AuditDecision.of(strategy.getStrategy());
        Long configId = strategy.getConfigured() ? strategy.getConfigId() : null;
        if (decision.level == null) {
            return new Decision(t, decision, "approve", strategy.getReason(), Map.of("strategy", strategy.getReason()), configId);
        }
        ValidationResult result = validator.validate(config.schema(t.getCategoryId()), itemData(t.getItemDataJson()), decision.level);
        if (decision.needsPerson) {
            return new Decision(t, decision, "queue", "manual review required (" + strategy.getReason() + ")", result.toMap(), configId);
        }
        return result.valid()
                ? new Decision(t, decision, "approve", strategy.getReason(), result.toMap(), configId)
                : new Decision(t, decision, "reject", truncate(result.summary()), result.toMap(), configId);
    }

    static Map<String, Object> itemData(String json) throws Exception {
        return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, new TypeReference<>() { });
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 497) + "..." : s;
    }
}
