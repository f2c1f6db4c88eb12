package dev.marketops.listing.catalogue.history;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** The kinds of product change of seed 002 (plus attribute and tag changes, and rollbacks). */
public enum ChangeType {
    PRICE, STOCK, SPEC, DESC, STATUS, ATTRIBUTE, TAG, ROLLBACK;

    /** The kind of one changed field path ({@link ProductState}). */
    public static ChangeType ofPath(String path) {
        if (path.equals("title")) {
            return DESC;
        }
        if (path.equals("status")) {
            return STATUS;
        }
        if (path.equals("tags")) {
            return TAG;
        }
        if (path.startsWith("attributes.")) {
            return ATTRIBUTE;
        }
        if (path.endsWith(".sale_price_cents") || path.endsWith(".face_value_cents") || path.endsWith(".price_cents")) {
            return PRICE;
        }
        if (path.endsWith(".stock")) {
            return STOCK;
        }
        return SPEC;
    }

    /** The kind of a change: the one kind its paths share, else the operation's own kind, else SPEC. */
    public static ChangeType of(Collection<String> paths, ChangeType operation) {
        Set<ChangeType> kinds = EnumSet.noneOf(ChangeType.class);
        paths.forEach(p -> kinds.add(ofPath(p)));
        if (kinds.size() == 1) {
            return kinds.iterator().next();
        }
        return operation != null ? operation : SPEC;
    }
}
