package dev.marketops.listing.task;

import static dev.marketops.listing.task.ListingAction.APPROVE;
import static dev.marketops.listing.task.ListingAction.DELETE;
import static dev.marketops.listing.task.ListingAction.EDIT;
import static dev.marketops.listing.task.ListingAction.MAINTAIN;
import static dev.marketops.listing.task.ListingAction.OFFLINE;
import static dev.marketops.listing.task.ListingAction.ONLINE;
import static dev.marketops.listing.task.ListingAction.OUT_OF_STOCK;
import static dev.marketops.listing.task.ListingAction.PUBLISH;
import static dev.marketops.listing.task.ListingAction.REJECT;
import static dev.marketops.listing.task.ListingAction.SUBMIT;
import static dev.marketops.listing.task.ListingStatus.APPROVED;
import static dev.marketops.listing.task.ListingStatus.DRAFT;
import static dev.marketops.listing.task.ListingStatus.PENDING_AUDIT;
import static dev.marketops.listing.task.ListingStatus.REJECTED;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one transition table of the unified state machine (main seed 3.1), the same for every
 * category. Anything not in the table is illegal.
 */
public final class ListingStateMachine {

    private static final Map<ListingStatus, Map<ListingAction, ListingStatus>> TABLE = new EnumMap<>(ListingStatus.class);

    static {
        allow(DRAFT, SUBMIT, PENDING_AUDIT);
        allow(DRAFT, EDIT, DRAFT);
        allow(PENDING_AUDIT, APPROVE, APPROVED);
        allow(PENDING_AUDIT, REJECT, REJECTED);
        allow(REJECTED, EDIT, REJECTED);
        allow(REJECTED, SUBMIT, PENDING_AUDIT);
        allow(APPROVED, PUBLISH, ListingStatus.ONLINE);
        allow(ListingStatus.ONLINE, OFFLINE, ListingStatus.OFFLINE);
        allow(ListingStatus.ONLINE, MAINTAIN, ListingStatus.MAINTAIN);
        allow(ListingStatus.ONLINE, OUT_OF_STOCK, ListingStatus.OUT_OF_STOCK);
        for (ListingStatus paused : new ListingStatus[] {ListingStatus.OFFLINE, ListingStatus.MAINTAIN, ListingStatus.OUT_OF_STOCK}) {
            allow(paused, ONLINE, ListingStatus.ONLINE);
        }
        allow(ListingStatus.MAINTAIN, OFFLINE, ListingStatus.OFFLINE);
        allow(ListingStatus.OUT_OF_STOCK, OFFLINE, ListingStatus.OFFLINE);
        // A soft delete keeps the status; only tasks nobody works on any more may go: a draft, a
        // rejected task and an offline one (not while audit, publishing or the shop depend on it).
        for (ListingStatus idle : new ListingStatus[] {DRAFT, REJECTED, ListingStatus.OFFLINE}) {
            allow(idle, DELETE, idle);
        }
    }

    private ListingStateMachine() {
    }

    private static void allow(ListingStatus from, ListingAction action, ListingStatus to) {
        TABLE.computeIfAbsent(from, f -> new EnumMap<>(ListingAction.class)).put(action, to);
    }

    /** The state {@code action} leads to from {@code from}, or empty when it is not allowed. */
    public static Optional<ListingStatus> next(ListingStatus from, ListingAction action) {
        return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(action));
    }

    public static boolean editable(ListingStatus status) {
        return next(status, EDIT).isPresent();
    }

    public static boolean deletable(ListingStatus status) {
        return next(status, DELETE).isPresent();
    }

    /** The actions allowed from a state, for clients that show buttons. */
    public static java.util.Set<ListingAction> allowedFrom(ListingStatus from) {
        return TABLE.getOrDefault(from, Map.of()).keySet();
    }
}
