package dev.marketops.config.category;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of the category tree's shape (main seed 4.5.1), plain Java: where a category may move
 * (never under itself or one of its descendants, never deeper than {@link CategoryModels#MAX_LEVEL}
 * levels counting its own subtree), which categories are switched off through an ancestor, and the
 * nested document the tree is served as.
 */
public final class CategoryTree {

    /** What the tree needs of a category. */
    public record Node(long id, long parentId, int level, int sortOrder, boolean active) {
    }

    /** Why a move is refused: a stable code, a reason and the offending value. */
    public static final class MoveRefused extends RuntimeException {
        public final String code;

        MoveRefused(String code, String reason) {
            super(reason);
            this.code = code;
        }
    }

    /** A legal move: the moved category's new level and how much every level of its subtree shifts. */
    public record Move(long categoryId, long newParentId, int newLevel, int levelShift, List<Long> subtree) {
    }

    private final Map<Long, Node> byId = new HashMap<>();
    private final Map<Long, List<Node>> children = new HashMap<>();

    public CategoryTree(Collection<Node> nodes) {
        for (Node n : nodes) {
            byId.put(n.id(), n);
            children.computeIfAbsent(n.parentId(), k -> new ArrayList<>()).add(n);
        }
        children.values().forEach(l -> l.sort(Comparator.comparingInt(Node::sortOrder).thenComparingLong(Node::id)));
    }

    public List<Node> children(long parentId) {
        return children.getOrDefault(parentId, List.of());
    }

    /** The category and every category under it, the category first. */
    public List<Long> subtree(long id) {
        List<Long> out = new ArrayList<>();
        List<Long> todo = new ArrayList<>(List.of(id));
        while (!todo.isEmpty()) {
            long next = todo.removeLast();
            out.add(next);
            children(next).forEach(c -> todo.add(c.id()));
        }
        return out;
    }

    /** Levels below the category, itself counted: a leaf has height 1. */
    public int height(long id) {
        int deepest = 0;
        for (Node c : children(id)) {
            deepest = Math.max(deepest, height(c.id()));
        }
        return 1 + deepest;
    }

    public Move move(long id, long newParentId) {
        Node n = byId.get(id);
        if (n == null) {
            throw new MoveRefused("UNKNOWN_CATEGORY", "no category with id " + id);
        }
        int parentLevel = 0;
        if (newParentId != 0) {
            Node parent = byId.get(newParentId);
            if (parent == null) {
                throw new MoveRefused("UNKNOWN_PARENT", "no category with id " + newParentId);
            }
            List<Long> subtree = subtree(id);
            if (subtree.contains(newParentId)) {
                throw new MoveRefused("CATEGORY_CYCLE", newParentId == id
                        ? "a category cannot be its own parent"
                        : "category " + newParentId + " is under category " + id + "; moving there would make a cycle");
            }
            parentLevel = parent.level();
        }
        int newLevel = parentLevel + 1;
        int deepest = parentLevel + height(id);
        if (deepest > CategoryModels.MAX_LEVEL) {
            throw new MoveRefused("CATEGORY_TOO_DEEP", "the tree has at most " + CategoryModels.MAX_LEVEL
                    + " levels; category " + id + " with its " + (height(id) - 1) + " level(s) below would reach level " + deepest);
        }
        return new Move(id, newParentId, newLevel, newLevel - n.level(), subtree(id));
    }

    /** True when the category and all its ancestors are active: a disabled parent switches off its subtree. */
    public boolean enabled(long id) {
        Node n = byId.get(id);
        for (int hops = 0; n != null && hops <= CategoryModels.MAX_LEVEL; hops++) {
            if (!n.active()) {
                return false;
            }
            n = n.parentId() == 0 ? null : byId.get(n.parentId());
        }
        return true;
    }

    /** The tree as nested maps, roots first, siblings in their order; {@code fields} gives each node's own fields. */
    public List<Map<String, Object>> nested(java.util.function.Function<Long, Map<String, Object>> fields) {
        return nest(0, fields);
    }

    private List<Map<String, Object>> nest(long parentId, java.util.function.Function<Long, Map<String, Object>> fields) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Node c : children(parentId)) {
            Map<String, Object> m = new LinkedHashMap<>(fields.apply(c.id()));
            m.put("enabled", enabled(c.id()));
            m.put("children", nest(c.id(), fields));
            out.add(m);
        }
        return out;
    }
}
