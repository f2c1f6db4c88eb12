package dev.marketops.listing.task;

import java.util.Set;

/** Allowed values of the task's descriptive fields (main seed 3.3.1). */
public final class ListingVocabulary {

    public static final Set<String> TASK_TYPES = Set.of("single_create", "batch_import", "supplier_sync", "api_import");
    public static final Set<String> SOURCE_TYPES = Set.of("operator_form", "merchant_portal", "merchant_app",
            "excel_batch", "supplier_push", "supplier_pull", "api");
    public static final Set<String> SOURCE_USER_TYPES = Set.of("operator", "merchant", "system");

    private ListingVocabulary() {
    }
}
