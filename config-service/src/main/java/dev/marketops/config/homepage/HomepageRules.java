package dev.marketops.config.homepage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a valid homepage draft is and what changed between two documents, plain Java. Violations
 * name the entrance (its index in the list), the field and the reason.
 */
public final class HomepageRules {

    public static final Set<String> PLATFORMS = Set.of("all", "app", "h5", "mini_program", "web");
    public static final Set<String> ENVIRONMENTS = Set.of("prod", "staging", "test");
    public static final int MAX_ENTRANCES = 50;

    public record Violation(int entrance, String field, String reason, Object value) {
    }

    private HomepageRules() {
    }

    public static List<Violation> check(List<Entrance> entrances) {
        List<Violation> out = new ArrayList<>();
        if (entrances.size() > MAX_ENTRANCES) {
            out.add(new Violation(-1, "entrances", "at most " + MAX_ENTRANCES + " entrances per group", entrances.size()));
        }
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < entrances.size(); i++) {
            Entrance e = entrances.get(i);
            if (e == null) {
                out.add(new Violation(i, "entrances", "must be an object", null));
                continue;
            }
            if (e.code() == null || !e.code().matches("[A-Za-z0-9_-]{1,64}")) {
                out.add(new Violation(i, "code", "1..64 letters, digits, '_' or '-'", e.code()));
            } else if (!codes.add(e.code())) {
                out.add(new Violation(i, "code", "appears twice in the group", e.code()));
            }
            if (e.name() == null || e.name().isBlank()) {
                out.add(new Violation(i, "name", "is required", e.name()));
            }
            for (String id : e.categoryIds()) {
                if (id == null || !id.matches("[1-9][0-9]{0,18}")) {
                    out.add(new Violation(i, "categoryIds", "must be category ids", id));
                }
            }
            for (String p : e.platforms()) {
                if (!PLATFORMS.contains(p)) {
                    out.add(new Violation(i, "platforms", "must be one of " + PLATFORMS, p));
                }
            }
        }
        return out;
    }

    /** Entrances added, removed (by code) and changed (with the fields that differ), from before to after. */
    public static Map<String, Object> diff(List<Entrance> before, List<Entrance> after) {
        Map<String, Entrance> old = byCode(before);
        Map<String, Entrance> now = byCode(after);
        List<String> added = now.keySet().stream().filter(c -> !old.containsKey(c)).toList();
        List<String> removed = old.keySet().stream().filter(c -> !now.containsKey(c)).toList();
        List<Map<String, Object>> changed = new ArrayList<>();
        for (Map.Entry<String, Entrance> e : now.entrySet()) {
            Entrance was = old.get(e.getKey());
            if (was == null) {
                continue;
            }
            List<String> fields = changedFields(was, e.getValue());
            if (!fields.isEmpty()) {
                changed.add(Map.of("code", e.getKey(), "fields", fields));
            }
        }
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("added", added);
        diff.put("removed", removed);
        diff.put("changed", changed);
        return diff;
    }

    private static List<String> changedFields(Entrance a, Entrance b) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(a.name(), b.name())) out.add("name");
        if (!Objects.equals(a.iconUrl(), b.iconUrl())) out.add("iconUrl");
        if (!Objects.equals(a.linkUrl(), b.linkUrl())) out.add("linkUrl");
        if (!Objects.equals(a.sortOrder(), b.sortOrder())) out.add("sortOrder");
        if (!a.categoryIds().equals(b.categoryIds())) out.add("categoryIds");
        if (!a.carriers().equals(b.carriers())) out.add("carriers");
        if (!a.tags().equals(b.tags())) out.add("tags");
        if (!a.platforms().equals(b.platforms())) out.add("platforms");
        return out;
    }

    private static Map<String, Entrance> byCode(List<Entrance> list) {
        Map<String, Entrance> m = new LinkedHashMap<>();
        list.forEach(e -> m.put(e.code(), e));
        return m;
    }
}
