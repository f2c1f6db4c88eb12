package dev.marketops.listing.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ListingStateMachineTest {

    @ParameterizedTest(name = "{0} -{1}-> {2}")
    @CsvSource({
            "DRAFT, SUBMIT, PENDING_AUDIT",
            "PENDING_AUDIT, APPROVE, APPROVED",
            "PENDING_AUDIT, REJECT, REJECTED",
            "REJECTED, SUBMIT, PENDING_AUDIT",
            "APPROVED, PUBLISH, ONLINE",
            "ONLINE, OFFLINE, OFFLINE",
            "OFFLINE, ONLINE, ONLINE",
            "ONLINE, MAINTAIN, MAINTAIN",
            "MAINTAIN, ONLINE, ONLINE",
            "ONLINE, OUT_OF_STOCK, OUT_OF_STOCK",
            "OUT_OF_STOCK, ONLINE, ONLINE",
            "MAINTAIN, OFFLINE, OFFLINE",
    })
    void theSeedsTransitionsAreAllowed(ListingStatus from, ListingAction action, ListingStatus to) {
        assertEquals(Optional.of(to), ListingStateMachine.next(from, action));
    }

    @ParameterizedTest(name = "{0} -{1}-> refused")
    @CsvSource({
            "DRAFT, APPROVE", "DRAFT, PUBLISH", "DRAFT, ONLINE",
            "PENDING_AUDIT, SUBMIT", "PENDING_AUDIT, PUBLISH", "PENDING_AUDIT, EDIT",
            "APPROVED, APPROVE", "APPROVED, EDIT", "APPROVED, OFFLINE",
            "REJECTED, APPROVE", "REJECTED, PUBLISH",
            "ONLINE, SUBMIT", "ONLINE, EDIT", "ONLINE, ONLINE", "OFFLINE, MAINTAIN", "OFFLINE, EDIT",
    })
    void everythingElseIsRefused(ListingStatus from, ListingAction action) {
        assertEquals(Optional.empty(), ListingStateMachine.next(from, action));
    }

    @Test
    void onlyDraftsAndRejectedTasksAreEditable() {
        for (ListingStatus s : ListingStatus.values()) {
            boolean expected = s == ListingStatus.DRAFT || s == ListingStatus.REJECTED;
            assertEquals(expected, ListingStateMachine.editable(s), s.name());
        }
        assertTrue(ListingStateMachine.allowedFrom(ListingStatus.DRAFT).contains(ListingAction.SUBMIT));
        assertFalse(ListingStateMachine.allowedFrom(ListingStatus.ONLINE).contains(ListingAction.PUBLISH));
    }

    @Test
    void onlyDraftsRejectedAndOfflineTasksMayBeDeletedAndDeletingKeepsTheStatus() {
        for (ListingStatus s : ListingStatus.values()) {
            boolean expected = s == ListingStatus.DRAFT || s == ListingStatus.REJECTED || s == ListingStatus.OFFLINE;
            assertEquals(expected, ListingStateMachine.deletable(s), s.name());
            assertEquals(expected ? Optional.of(s) : Optional.empty(), ListingStateMachine.next(s, ListingAction.DELETE), s.name());
        }
        assertEquals(Optional.empty(), ListingAction.transition("delete"), "delete is not a transition call's action");
    }
}
