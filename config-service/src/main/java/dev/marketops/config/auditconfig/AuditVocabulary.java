package dev.marketops.config.auditconfig;

import java.util.Set;

/** The values an audit configuration row may hold (main seed 3.3.5 and 1.2.2); the migration's CHECKs match. */
public final class AuditVocabulary {

    public static final Set<String> SOURCE_TYPES = Set.of("operator_form", "merchant_portal", "merchant_app",
            "excel_batch", "supplier_push", "supplier_pull", "api");
    public static final Set<String> SOURCE_USER_TYPES = Set.of("operator", "merchant", "system");
    public static final Set<String> STRATEGIES = Set.of("skip", "auto", "fast_track", "manual");

    private AuditVocabulary() {
    }
}
