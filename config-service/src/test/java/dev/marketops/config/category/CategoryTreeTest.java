package dev.marketops.config.category;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryTreeTest {

    // 1 > 11 > 111, 1 > 12; 2 (disabled) > 21; 3
    private final CategoryTree tree = new CategoryTree(List.of(
            new CategoryTree.Node(1, 0, 1, 1, true),
            new CategoryTree.Node(11, 1, 2, 2, true),
            new CategoryTree.Node(12, 1, 2, 1, true),
            new CategoryTree.Node(111, 11, 3, 1, true),
            new CategoryTree.Node(2, 0, 1, 2, false),
            new CategoryTree.Node(21, 2, 2, 1, true),
            new CategoryTree.Node(3, 0, 1, 3, true)));

    @Test
    void aMoveUnderItselfOrItsDescendantIsACycle() {
        assertEquals("CATEGORY_CYCLE", assertThrows(CategoryTree.MoveRefused.class, () -> tree.move(1, 111)).code);
        assertEquals("CATEGORY_CYCLE", assertThrows(CategoryTree.MoveRefused.class, () -> tree.move(11, 11)).code);
    }

    @Test
    void aMoveThatWouldPushTheSubtreeBelowLevelThreeIsRefused() {
        // 11 has one level below it: under 12 (level 2) its child would be at level 4
        assertEquals("CATEGORY_TOO_DEEP", assertThrows(CategoryTree.MoveRefused.class, () -> tree.move(11, 12)).code);
    }

    @Test
    void aLegalMoveShiftsTheWholeSubtree() {
        CategoryTree.Move m = tree.move(11, 3);
        assertEquals(2, m.newLevel());
        assertEquals(0, m.levelShift());
        assertEquals(List.of(11L, 111L), m.subtree());

        CategoryTree.Move up = tree.move(11, 0);
        assertEquals(1, up.newLevel());
        assertEquals(-1, up.levelShift());
    }

    @Test
    void unknownParentIsRefused() {
        assertEquals("UNKNOWN_PARENT", assertThrows(CategoryTree.MoveRefused.class, () -> tree.move(11, 999)).code);
    }

    @Test
    void aDisabledAncestorSwitchesOffItsSubtree() {
        assertFalse(tree.enabled(21));
        assertFalse(tree.enabled(2));
        assertTrue(tree.enabled(111));
    }

    @Test
    void childrenComeInTheirOrder() {
        assertEquals(List.of(12L, 11L), tree.children(1).stream().map(CategoryTree.Node::id).toList());
    }
}
