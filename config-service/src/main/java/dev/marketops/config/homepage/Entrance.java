package dev.marketops.config.homepage;

import java.util.List;

/**
 * One entrance of a homepage group (main seed 4.6.1): a tile that leads into categories, optionally
 * narrowed to carriers (top-up) and marked with tags. Platforms narrow the group's own target
 * further (empty: every platform of the group).
 */
public record Entrance(String code, String name, String iconUrl, String linkUrl, Integer sortOrder,
                       List<String> categoryIds, List<String> carriers, List<String> tags, List<String> platforms) {

    public Entrance {
        categoryIds = categoryIds == null ? List.of() : List.copyOf(categoryIds);
        carriers = carriers == null ? List.of() : List.copyOf(carriers);
        tags = tags == null ? List.of() : List.copyOf(tags);
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        sortOrder = sortOrder == null ? 0 : sortOrder;
    }
}
