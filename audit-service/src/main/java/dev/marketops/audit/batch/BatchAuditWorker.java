package dev.marketops.audit.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.audit.worker.AuditDecision;
import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.consumer.EventConsumer;
import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.events.ListingBatchEvent;
import dev.marketops.proto.listing.ListingTaskReply;
import dev.marketops.validation.ListingValidator;
import dev.marketops.validation.ValidationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * BatchAuditWorker (main seed 9.1.x): audits a chunk of an upload's tasks (listing.batch.parsed,
 * at most 1,000 task ids) in one pass. The tasks are read with one call, each is decided by
 * its category x source strategy exactly like AuditWorker decides a single submission, the
 * decisions are written with multi-row statements and applied with one TransitionMany per
 * (action, strategy, reason) group. Approving with the batch id makes listing-service announce
 * the approved chunk on listing.batch.audited for BatchPublishWorker.
 */
@ApplicationScoped
public class BatchAuditWorker {

    private static final Logger LOG = Logger.getLogger(BatchAuditWorker.class);
    static final String CONSUMER = "batch-audit-worker";
    static final int PENDING_AUDIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventConsumer consumer;
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

    @Incoming("batch-parsed")
    @Blocking(value = "batch-audit-pool", ordered = false)
    public void onParsed(ConsumerRecord<String, byte[]> record) {
        consumer.process(CONSUMER, record, r -> audit(ListingBatchEvent.parseFrom(r.value())));
    }

    /** One decision per task; what to do with the chunk's tasks. */
    record Decision(ListingTaskReply task, AuditDecision strategy, String action, String reason,
                    Map<String, Object> findings, Long strategyConfigId) {
    }

    void audit(ListingBatchEvent e) throws Exception {
        long started = System.nanoTime();
        List<ListingTaskReply> tasks = listing.getTasks(e.getTaskIdsList());
        java.util.Set<Long> queued = writer.alreadyQueued(tasks);
        List<Decision> decisions = new ArrayList<>(tasks.size());
        for (ListingTaskReply t : tasks) {
            if (t.getStatus() != PENDING_AUDIT || queued.contains(t.getTaskId())) {
                continue; // decided already (a redelivered chunk), waiting for an auditor, or withdrawn
            }
            decisions.add(decide(t));
        }
        int durationMs = (int) ((System.nanoTime() - started) / 1_000_000);
        writer.record(decisions, durationMs);

        // Group by what listing-service is asked to do, so a chunk is a few calls.
        Map<List<String>, List<Long>> groups = new LinkedHashMap<>();
        for (Decision d : decisions) {
            if (!"queue".equals(d.action())) {
                groups.computeIfAbsent(List.of(d.action(), d.strategy().wire(), d.reason()), k -> new ArrayList<>())
                        .add(d.task().getTaskId());
            }
        }
        for (Map.Entry<List<String>, List<Long>> g : groups.entrySet()) {
            listing.transitionMany(g.getValue(), g.getKey().get(0), g.getKey().get(1), g.getKey().get(2), e.getBatchId());
        }
        for (Decision d : decisions) {
            meters.counter("marketops_audit_decisions_total", "strategy", d.strategy().wire(), "action", d.action()).increment();
            auditMetrics.decided(d.task().getSourceType(), d.strategy().wire(), d.task().getCategoryId());
        }
        LOG.infof("batch %d chunk %d/%d: %d tasks audited in %d ms (%d groups)", e.getBatchId(), e.getChunkNo(),
                e.getChunkCount(), decisions.size(), (System.nanoTime() - started) / 1_000_000, groups.size());
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
