package dev.marketops.audit.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.audit.review.ManualReview;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.events.ListingEvent;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.proto.listing.TransitionRequest;
import dev.marketops.validation.ListingValidator;
import dev.marketops.validation.ValidationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * AuditWorker (main seed 9.x): takes each submitted listing from listing.audit.pending,
 * resolves the strategy for (category, source type, source user type) and applies it:
 * skip approves, fast track and auto run the validation engine and approve or reject with
 * reasons, manual queues the task for an auditor with the engine's findings. Every decision
 * is logged; the task moves through listing-service's gRPC commands.
 */
@ApplicationScoped
public class AuditWorker {

    private static final Logger LOG = Logger.getLogger(AuditWorker.class);
    static final String CONSUMER = "audit-worker";
    static final int PENDING_AUDIT = 10;
    static final int APPROVED = 11;
    static final int REJECTED = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventConsumer consumer;
    @Inject
    CategoryDirectory config;
    @Inject
    ListingClient listing;
    @Inject
    MeterRegistry meters;
    @Inject
    dev.marketops.audit.metrics.AuditMetrics auditMetrics;

    private final ListingValidator validator = ListingValidator.standard(Clock.systemUTC());

    // Each submission is an independent decision, so records are processed concurrently
    // (SmallRye's throttled commit still commits offsets only below the oldest one in flight).
    @Incoming("audit-pending")
    @Blocking(value = "audit-worker-pool", ordered = false)
    public void onSubmitted(ConsumerRecord<String, byte[]> record) {
        ListingEvent read = readable(record);
        if (read != null && read.getBatchId() != 0) {
            // Tasks of an upload are audited a chunk at a time by BatchAuditWorker
            // (listing.batch.parsed); deciding them here too would race it. Skipped before any
            // database work (listing-service no longer sends these; older events may remain).
            meters.counter("marketops_audit_skipped_total", "reason", "batch_upload").increment();
            return;
        }
        // An unreadable record is parsed again inside, so it fails there: retried, then dead-lettered.
        consumer.process(CONSUMER, record, r -> audit(read != null ? read : ListingEvent.parseFrom(r.value())));
    }

    private static ListingEvent readable(ConsumerRecord<String, byte[]> record) {
        try {
            return ListingEvent.parseFrom(record.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return null;
        }
    }

    void audit(ListingEvent e) throws Exception {
        long started = System.nanoTime();
        AuditStrategyDecision strategy = config.auditStrategy(e.getCategoryId(), e.getSourceType(), e.getSourceUserType());
        AuditDecision decision = AuditDecision.of(strategy.getStrategy());
        ValidationResult result = null;
        ListingTaskReply task = null;
        if (decision.level != null) {
            task = listing.get(e.getTaskId());
            if (task.getStatus() != PENDING_AUDIT || task.getVersion() != e.getVersion()) {
                // The task moved on since this submission (e.g. a newer submission exists): nothing to decide.
                LOG.infof("task %d is no longer at submission version %d; skipping", e.getTaskId(), e.getVersion());
                return;
            }
            result = validator.validate(config.schema(e.getCategoryId()), itemData(task.getItemDataJson()), decision.level);
        }

        AuditLogEntry log = new AuditLogEntry();
        log.taskId = e.getTaskId();
        log.categoryId = e.getCategoryId();
        log.sourceType = e.getSourceType();
        log.sourceUserType = e.getSourceUserType();
        log.auditType = decision.wire();
        log.rulesApplied = result == null ? List.of() : result.rulesApplied();
        log.ruleResults = result == null ? Map.of("strategy", strategy.getReason()) : result.toMap();
        log.strategyConfigId = strategy.getConfigured() ? strategy.getConfigId() : null;
        log.auditorType = "system";
        log.auditTime = OffsetDateTime.now();

        if (decision.needsPerson) {
            queueForReview(e, task, result);
            log.auditAction = "queue";
            log.auditReason = "manual review required (" + strategy.getReason() + ")";
        } else {
            boolean approve = result == null || result.valid();
            log.auditAction = approve ? "approve" : "reject";
            log.auditReason = approve ? strategy.getReason() : result.summary();
            ListingClient.Outcome outcome = listing.decide(TransitionRequest.newBuilder().setTaskId(e.getTaskId())
                    .setAction(approve ? "approve" : "reject").setExpectedVersion(e.getVersion())
                    .setOperatorType("system").setAuditType(decision.wire()).setReason(truncate(log.auditReason))
                    .setValidationResultJson(JSON.writeValueAsString(log.ruleResults)).build(), approve ? APPROVED : REJECTED);
            if (outcome != ListingClient.Outcome.APPLIED) {
                // A redelivery of a submission that was decided already (or has been superseded): logged once, by the first.
                LOG.infof("task %d moved on since submission version %d; decision not applied again", e.getTaskId(), e.getVersion());
                meters.counter("marketops_audit_skipped_total", "reason", "already_decided").increment();
                return;
            }
        }
        log.durationMs = (int) ((System.nanoTime() - started) / 1_000_000);
        log.persist();
        meters.counter("marketops_audit_decisions_total", "strategy", decision.wire(), "action", log.auditAction).increment();
        auditMetrics.decided(e.getSourceType(), decision.wire(), e.getCategoryId());
    }

    private static void queueForReview(ListingEvent e, ListingTaskReply task, ValidationResult result) {
        if (ManualReview.count("taskId = ?1 and taskVersion = ?2", e.getTaskId(), e.getVersion()) > 0) {
            return;
        }
        ManualReview r = new ManualReview();
        r.taskId = e.getTaskId();
        r.taskVersion = e.getVersion();
        r.categoryId = e.getCategoryId();
        r.sourceType = e.getSourceType();
        r.sourceUserType = e.getSourceUserType();
        r.title = task.getTitle();
        r.validationResult = result.toMap();
        r.status = "pending";
        r.submittedAt = OffsetDateTime.now();
        r.persist();
    }

    static Map<String, Object> itemData(String json) throws Exception {
        return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, new TypeReference<>() { });
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 497) + "..." : s;
    }
}
