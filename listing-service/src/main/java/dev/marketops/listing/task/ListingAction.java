package dev.marketops.listing.task;

import java.util.Arrays;
import java.util.Optional;

/** What can be done to a listing task; the wire name is what REST paths and gRPC carry. */
public enum ListingAction {
    SUBMIT("submit"), APPROVE("approve"), REJECT("reject"), PUBLISH("publish"),
    OFFLINE("offline"), ONLINE("online"), MAINTAIN("maintain"), OUT_OF_STOCK("out_of_stock"), EDIT("edit"),
    /** The soft delete (DELETE /listings/{id}): the status stays, the task disappears from reads and lists. */
    DELETE("delete");

    public final String wire;

    ListingAction(String wire) {
        this.wire = wire;
    }

    public static Optional<ListingAction> of(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
    }

    /** The actions a transition call takes: not edit and delete, which have calls of their own. */
    public static Optional<ListingAction> transition(String wire) {
        return of(wire).filter(a -> a != EDIT && a != DELETE);
    }
}
