package dev.marketops.listing.task;

import java.util.Arrays;

/** The unified state machine's states (main seed 3.1), with their stored codes. */
public enum ListingStatus {
    DRAFT(0), PENDING_AUDIT(10), APPROVED(11), REJECTED(12), ONLINE(20), OFFLINE(21), MAINTAIN(22), OUT_OF_STOCK(23);

    public final int code;

    ListingStatus(int code) {
        this.code = code;
    }

    public static ListingStatus ofCode(int code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown listing status code " + code));
    }
}
