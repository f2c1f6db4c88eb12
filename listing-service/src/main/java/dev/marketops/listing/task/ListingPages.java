package dev.marketops.listing.task;

import dev.marketops.platform.rest.Page;

/** Offset pagination of this service's lists: the fleet's rule ({@link Page#check}, deep pages refused). */
public final class ListingPages {

    public static final long MAX_OFFSET = Page.MAX_OFFSET;

    private ListingPages() {
    }

    public static void check(int page, int size) {
        Page.check(page, size);
    }
}
