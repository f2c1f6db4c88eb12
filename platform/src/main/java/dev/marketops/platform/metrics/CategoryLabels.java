package dev.marketops.platform.metrics;

import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.proto.config.Category;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code category} label of the seed's metrics (main seed 8.2: deal, hotel, movie, topup, ...):
 * the category's code in lower case. A category's code never changes, so a resolved label is kept
 * for the life of the process; while config-service cannot answer, the id stands in (and is not
 * kept, so the next event gets the code).
 */
@ApplicationScoped
public class CategoryLabels {

    @Inject
    CategoryDirectory categories;

    private final Map<Long, String> labels = new ConcurrentHashMap<>();

    public String of(long categoryId) {
        String known = labels.get(categoryId);
        if (known != null) {
            return known;
        }
        try {
            Optional<Category> c = categories.find(categoryId);
            String label = c.map(x -> x.getCategoryCode().toLowerCase(Locale.ROOT)).orElse(Long.toString(categoryId));
            labels.put(categoryId, label);
            return label;
        } catch (RuntimeException unavailable) {
            return Long.toString(categoryId);
        }
    }
}
