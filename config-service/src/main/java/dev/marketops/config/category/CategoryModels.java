package dev.marketops.config.category;

import java.util.Set;

/** The inventory and price models a category can declare (main seed 1.2.1). */
public final class CategoryModels {

    public static final Set<String> INVENTORY = Set.of("code_pool", "quantity", "date_based", "seat_based", "unlimited", "bundle");
    public static final Set<String> PRICE = Set.of("fixed", "calendar", "session", "face_value", "denomination", "bundle");
    public static final int MAX_LEVEL = 3;

    private CategoryModels() {
    }
}
