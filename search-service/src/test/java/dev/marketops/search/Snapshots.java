package dev.marketops.search;

import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.Sku;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Catalogue snapshots built in tests, for the parts that do not need listing-service. */
final class Snapshots {

    // Ids above anything the catalogue hands out in the shared test database, unique per run.
    private static final AtomicLong NEXT = new AtomicLong(System.currentTimeMillis() * 1000);

    private Snapshots() {
    }

    static long newId() {
        return NEXT.incrementAndGet();
    }

    static Builder item(long categoryId) {
        return new Builder(newId(), categoryId);
    }

    static final class Builder {
        private final ItemSnapshot.Builder b;
        private long price = 1000;
        private long stock = 10;

        Builder(long id, long categoryId) {
            long now = System.currentTimeMillis();
            b = ItemSnapshot.newBuilder().setItemId(id).setTaskId(id + 7).setCategoryId(categoryId).setShopId(77)
                    .setTitle("Item " + id).setStatus("online").setVersion(1).setSourceType("operator_form")
                    .setAttributesJson("{}").setCreatedAt(now).setUpdatedAt(now).setFirstOnlineAt(now).setLastOnlineAt(now);
        }

        Builder title(String t) { b.setTitle(t); return this; }
        Builder status(String s) { b.setStatus(s); return this; }
        Builder version(long v) { b.setVersion(v); return this; }
        Builder price(long cents) { price = cents; return this; }
        Builder stock(long s) { stock = s; return this; }
        Builder shop(long s) { b.setShopId(s); return this; }
        Builder source(String s) { b.setSourceType(s); return this; }
        Builder tags(String... t) { b.addAllTags(List.of(t)); return this; }
        Builder attributes(String json) { b.setAttributesJson(json); return this; }
        Builder createdAt(long ms) { b.setCreatedAt(ms); return this; }
        Builder updatedAt(long ms) { b.setUpdatedAt(ms); return this; }
        Builder neverOnline() { b.setFirstOnlineAt(0).setLastOnlineAt(0); return this; }

        ItemSnapshot build() {
            return b.clone().clearSkus().addSkus(Sku.newBuilder().setSkuId(b.getItemId() * 10).setSkuCode("S" + b.getItemId())
                            .setStatus("online").setSalePriceCents(price).setStock(stock))
                    .setMinPriceCents(price).setTotalStock(stock).build();
        }
    }
}
