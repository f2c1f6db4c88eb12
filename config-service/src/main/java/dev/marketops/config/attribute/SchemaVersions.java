package dev.marketops.config.attribute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** category_schema_version: the numbered history of a category's attribute schema (main seed 4.5.2). */
@ApplicationScoped
public class SchemaVersions {

    /** One version: the change that made it, who and when. Ids as strings (JSON readers lose 64-bit precision). */
    public record Version(String categoryId, int schemaVersion, String attributeCode, String changeKind,
                          Map<String, Object> diff, List<Map<String, Object>> breaking, Long affectedItems,
                          String changedBy, OffsetDateTime changedAt) {
    }

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> ARRAY = new TypeReference<>() {
    };

    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;

    /** The category's current schema version; 0 before its first recorded change. */
    public int current(long categoryId) {
        return ((Number) em.createNativeQuery(
                        "SELECT COALESCE(MAX(schema_version), 0) FROM category_schema_version WHERE category_id = ?1")
                .setParameter(1, categoryId).getSingleResult()).intValue();
    }

    /**
     * Locks the category's row for the rest of the transaction (changes of its attributes are numbered
     * one after the other) and refuses the change when the schema moved past {@code expected}.
     */
    public void lockAt(long categoryId, int expected) {
        em.createNativeQuery("SELECT category_id FROM category WHERE category_id = ?1 FOR UPDATE")
                .setParameter(1, categoryId).getResultList();
        int now = current(categoryId);
        if (now != expected) {
            throw stale(categoryId, expected, now);
        }
    }

    /** Records the next version (call after {@link #lockAt}); returns its number. */
    public int record(long categoryId, String attributeCode, String changeKind, Map<String, ?> diff,
                      List<AttributeImpact.Breaking> breaking, Long affectedItems, long by) {
        return ((Number) em.createNativeQuery("""
                        INSERT INTO category_schema_version
                            (category_id, schema_version, attribute_code, change_kind, diff, breaking, affected_items, changed_by)
                        SELECT ?1, COALESCE(MAX(schema_version), 0) + 1, ?2, ?3, CAST(?4 AS jsonb), CAST(?5 AS jsonb), ?6, ?7
                        FROM category_schema_version WHERE category_id = ?1
                        RETURNING schema_version""")
                .setParameter(1, categoryId).setParameter(2, attributeCode).setParameter(3, changeKind)
                .setParameter(4, write(diff)).setParameter(5, write(breaking)).setParameter(6, affectedItems)
                .setParameter(7, by).getSingleResult()).intValue();
    }

    /** Newest first. */
    @SuppressWarnings("unchecked")
    public List<Version> list(long categoryId) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT schema_version, attribute_code, change_kind, CAST(diff AS text), CAST(breaking AS text),
                               affected_items, changed_by, changed_at
                        FROM category_schema_version WHERE category_id = ?1 ORDER BY schema_version DESC""")
                .setParameter(1, categoryId).getResultList();
        return rows.stream().map(r -> new Version(Long.toString(categoryId), ((Number) r[0]).intValue(), (String) r[1],
                (String) r[2], read((String) r[3], OBJECT), read((String) r[4], ARRAY),
                r[5] == null ? null : ((Number) r[5]).longValue(), r[6] == null ? null : r[6].toString(),
                toOffset(r[7]))).toList();
    }

    static ApiProblem stale(long categoryId, int given, int current) {
        return ApiProblem.conflict("STALE_SCHEMA_VERSION", "category " + categoryId + " is at schema version " + current
                        + ", not " + given + ": preview the change again")
                .with("field", "schemaVersion").with("value", given).with("currentSchemaVersion", current);
    }

    private static OffsetDateTime toOffset(Object v) {
        if (v instanceof OffsetDateTime o) {
            return o;
        }
        if (v instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) v).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schema version document not writable", e);
        }
    }

    private <T> T read(String s, TypeReference<T> type) {
        try {
            return json.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schema version document not readable", e);
        }
    }
}
