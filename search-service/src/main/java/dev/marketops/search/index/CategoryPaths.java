package dev.marketops.search.index;

import dev.marketops.platform.config.CategoryDirectory;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * A category and all its ancestors (root first), indexed with every item so that a filter
 * on a category finds the items of its whole subtree with one term query. CategoryDirectory
 * caches config-service's answers and drops them on config.publish.
 */
@ApplicationScoped
public class CategoryPaths {

    private static final int ATTEMPTS = 3;

    @Inject
    CategoryDirectory categories;

    public List<Long> pathOf(long categoryId) {
        List<Long> path = new ArrayList<>();
        for (long ancestor : ancestors(categoryId)) {
            if (ancestor != categoryId && ancestor > 0) {
                path.add(ancestor);
            }
        }
        path.add(categoryId);
        return path;
    }

    private List<Long> ancestors(long categoryId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return categories.schema(categoryId).getAncestorIdsList();
            } catch (ApiProblem p) {
                if ("UNKNOWN_CATEGORY".equals(p.code())) {
                    return List.of(); // indexed under its own id; a config.publish later does not reindex it
                }
                if (attempt >= ATTEMPTS) {
                    throw p; // config-service down: fail the batch rather than index a path without ancestors
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw p;
                }
            }
        }
    }
}
