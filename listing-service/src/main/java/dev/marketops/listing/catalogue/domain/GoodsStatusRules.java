package dev.marketops.listing.catalogue.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who may move a catalogue item from which status to which (seed 004), in one place.
 *
 * <ul>
 * <li>online / offline / deleted / risk_control are the targets; deleted is final; a draft
 *     item goes online only through the publish saga (it may be deleted).</li>
 * <li>Only risk control puts an item into risk_control, and only risk control moves it out
 *     again (to offline, "into the warehouse", or deleted) - except that the merchant may delete it.</li>
 * <li>A merchant changes only the goods of its own shop: that is enforced by the queries that
 *     read the goods (another shop's goods are not found for it), not here.</li>
 * <li>Moving to the status an item already has is a no-op, answered ok.</li>
 * </ul>
 */
public final class GoodsStatusRules {

    public enum Status {
        DRAFT, ONLINE, OFFLINE, DELETED, RISK_CONTROL;

        public String wire() {
            return name().toLowerCase();
        }

        public static Status of(String wire) {
            for (Status s : values()) {
                if (s.wire().equals(wire)) {
                    return s;
                }
            }
            return null;
        }
    }

    public static final Set<Status> TARGETS = EnumSet.of(Status.ONLINE, Status.OFFLINE, Status.DELETED, Status.RISK_CONTROL);
    public static final List<String> OPERATOR_TYPES = List.of("operator", "merchant", "risk_control", "system");

    /** The outcome for one item: change it, leave it (already there), or refuse with a stable code. */
    public record Verdict(boolean change, String errorCode, String message) {
        static final Verdict CHANGE = new Verdict(true, null, null);
        static final Verdict UNCHANGED = new Verdict(false, null, null);

        public boolean ok() {
            return errorCode == null;
        }
    }

    private GoodsStatusRules() {
    }

    public static Verdict decide(Status from, Status to, String operatorType) {
        if (from == to) {
            return Verdict.UNCHANGED;
        }
        boolean risk = "risk_control".equals(operatorType);
        if (from == Status.DELETED) {
            return new Verdict(false, "ILLEGAL_STATUS", "a deleted item cannot change status");
        }
        if (to == Status.RISK_CONTROL) {
            return risk ? Verdict.CHANGE : new Verdict(false, "FORBIDDEN", "only risk control may put goods under risk control");
        }
        if (from == Status.RISK_CONTROL) {
            if (to == Status.DELETED && ("merchant".equals(operatorType) || risk)) {
                return Verdict.CHANGE;
            }
            if (!risk) {
                return new Verdict(false, "FORBIDDEN", "goods under risk control are moved only by risk control (a merchant may delete them)");
            }
            return to == Status.OFFLINE ? Verdict.CHANGE
                    : new Verdict(false, "ILLEGAL_STATUS", "risk control releases goods to offline (the warehouse), not straight " + to.wire());
        }
        if (from == Status.DRAFT && to != Status.DELETED) {
            return new Verdict(false, "ILLEGAL_STATUS", "a draft item goes online through publishing");
        }
        return Verdict.CHANGE;
    }
}
