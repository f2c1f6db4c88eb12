package dev.marketops.config.promotion;

import dev.marketops.platform.problem.ApiProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many promotions created, edited and ended in one request, all or nothing: every row is checked
 * in order inside one transaction (so two rows of the same request that overlap at one priority
 * are found, as two requests would be), and the transaction commits only when every row passed
 * and it is not a dry run. A refused request says every failing row with its field and reason
 * and changes nothing; a dry run answers what each row would do.
 */
@ApplicationScoped
public class PromotionBatch {

    public static final int MAX_ROWS = 1_000;

    /** One row: action create / update / end; promotionId for update and end; the rest as {@link PromotionService.PromotionInput}. */
    public record Row(String action, String promotionId, Long version, String name, String kind, List<String> categoryIds,
                      List<String> itemIds, String userType, String discountType, BigDecimal discountValue, Integer priority,
                      Instant startsAt, Instant endsAt, Long quota, Long perUserQuota) {
        PromotionService.PromotionInput input() {
            return new PromotionService.PromotionInput(version, name, kind, categoryIds, itemIds, userType, discountType,
                    discountValue, priority, startsAt, endsAt, quota, perUserQuota);
        }
    }

    public record Request(Boolean dryRun, List<Row> rows) {
    }

    /** status: applied, valid (dry run), failed, or not_applied (a valid row of a refused request). */
    public record RowResult(int row, String action, String status, String promotionId, String code, String field, String reason) {
    }

    public record Result(boolean dryRun, boolean applied, int rows, int failed, List<RowResult> results) {
    }

    private final PromotionService promotions;

    public PromotionBatch(PromotionService promotions) {
        this.promotions = promotions;
    }

    public Result run(Request request, long by) {
        if (request == null || request.rows() == null || request.rows().isEmpty()) {
            throw ApiProblem.missingField("rows");
        }
        if (request.rows().size() > MAX_ROWS) {
            throw ApiProblem.badRequest("TOO_MANY_ROWS", "at most " + MAX_ROWS + " rows per request, got " + request.rows().size())
                    .with("field", "rows").with("limit", MAX_ROWS);
        }
        boolean dryRun = Boolean.TRUE.equals(request.dryRun());
        List<RowResult> out = new ArrayList<>(request.rows().size());
        // one transaction for the whole request; rolled back on any failure or for a dry run
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                int n = 0;
                for (Row r : request.rows()) {
                    n++;
                    out.add(apply(n, r, by, dryRun));
                }
                if (dryRun || out.stream().anyMatch(x -> x.status().equals("failed"))) {
                    throw new NotKept(); // rolls the whole request back
                }
            });
        } catch (NotKept expected) {
            // a dry run, or a refused request: nothing was kept
        }
        int failed = (int) out.stream().filter(x -> x.status().equals("failed")).count();
        if (failed > 0 && !dryRun) {
            List<RowResult> reported = out.stream().map(x -> x.status().equals("applied")
                    ? new RowResult(x.row(), x.action(), "not_applied", null, null, null, null) : x).toList();
            throw ApiProblem.badRequest("PROMOTION_BATCH_REFUSED", failed + " of " + out.size()
                            + " rows failed; nothing was applied (first: row " + first(reported).row() + ", "
                            + first(reported).field() + ": " + first(reported).reason() + ")")
                    .with("failed", failed).with("rows", reported.stream().map(PromotionBatch::asMap).toList());
        }
        return new Result(dryRun, !dryRun, out.size(), failed, out);
    }

    private RowResult apply(int n, Row r, long by, boolean dryRun) {
        String action = r.action() == null ? "" : r.action().trim().toLowerCase();
        try {
            Promotion p = switch (action) {
                case "create" -> promotions.create(r.input(), by);
                case "update" -> promotions.update(id(r), r.input(), by);
                case "end" -> promotions.end(id(r), by);
                default -> throw ApiProblem.invalidField("action", "must be create, update or end", r.action());
            };
            return new RowResult(n, action, dryRun ? "valid" : "applied", Long.toString(p.id), null, null, null);
        } catch (ApiProblem e) {
            Object field = e.extensions().get("field");
            Object reason = e.extensions().get("reason");
            return new RowResult(n, action, "failed", r.promotionId(), e.code(), field == null ? null : field.toString(),
                    reason == null ? e.getMessage() : reason.toString());
        }
    }

    private static long id(Row r) {
        if (r.promotionId() == null || r.promotionId().isBlank()) {
            throw ApiProblem.missingField("promotionId");
        }
        try {
            return Long.parseLong(r.promotionId().trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.invalidField("promotionId", "must be an id", r.promotionId());
        }
    }

    /** Thrown inside the transaction to roll it back on purpose. */
    private static final class NotKept extends RuntimeException {
        NotKept() {
            super(null, null, false, false);
        }
    }

    private static RowResult first(List<RowResult> rows) {
        return rows.stream().filter(x -> x.status().equals("failed")).findFirst().orElseThrow();
    }

    private static Map<String, Object> asMap(RowResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", r.row());
        m.put("action", r.action());
        m.put("status", r.status());
        if (r.promotionId() != null) {
            m.put("promotionId", r.promotionId());
        }
        if (r.code() != null) {
            m.put("code", r.code());
            m.put("field", r.field());
            m.put("reason", r.reason());
        }
        return m;
    }
}
