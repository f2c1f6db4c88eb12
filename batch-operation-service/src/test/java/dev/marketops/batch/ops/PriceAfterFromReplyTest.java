package dev.marketops.batch.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.marketops.batch.Json;
import dev.marketops.proto.catalog.DatedPrice;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.Sku;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A price row's after-value told from AdjustPrices' reply is what reading the item again would
 * show; where the reply cannot tell (dated prices, calendar items, undo rows of several changes,
 * a SKU it does not name), the worker reads the item again.
 */
class PriceAfterFromReplyTest {

    final PriceAdjustWorker worker = new PriceAdjustWorker();

    static ItemSnapshot item(String priceModel, Sku... skus) {
        return ItemSnapshot.newBuilder().setItemId(7).setPriceModel(priceModel).addAllSkus(List.of(skus)).build();
    }

    static Sku sku(long id, long sale, long face) {
        return Sku.newBuilder().setSkuId(id).setSalePriceCents(sale).setFaceValueCents(face).build();
    }

    static Map<String, Object> row(long skuId, String field, String date) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("item_id", 7L);
        p.put("sku_id", skuId);
        p.put("field", field);
        p.put("mode", "add");
        p.put("value", -10L);
        p.put("price_date", date);
        return p;
    }

    static ItemResult reply(String field, long... skuAndCents) {
        StringBuilder prices = new StringBuilder();
        for (int k = 0; k < skuAndCents.length; k += 2) {
            prices.append(k == 0 ? "" : ",").append("{\"sku_id\":").append(skuAndCents[k]).append(",\"cents\":").append(skuAndCents[k + 1]).append('}');
        }
        return ItemResult.newBuilder().setItemId(7).setOk(true)
                .setAfterJson("{\"field\":\"" + field + "\",\"prices\":[" + prices + "]}").build();
    }

    @Test
    void everySkusNewSalePriceWithItsFaceValueAsBefore() {
        // given an item of two SKUs and a row changing the sale price of both (sku_id 0)
        ItemSnapshot before = item("fixed", sku(1, 4950, 5000), sku(2, 9900, 10000));
        Map<String, Object> row = row(0, "sale_price", "");

        // when the catalogue answers with the new cents of each
        String after = worker.projectAfter(before, reply("sale_price", 1, 4940, 2, 9890), row);

        // then the after-value is the projection of the item as it now is
        ItemSnapshot reread = item("fixed", sku(1, 4940, 5000), sku(2, 9890, 10000));
        assertEquals(Json.map(worker.project(reread, row)), Json.map(after));
    }

    @Test
    void oneSkusFaceValue() {
        ItemSnapshot before = item("face_value", sku(1, 4950, 5000), sku(2, 9900, 10000));
        Map<String, Object> row = row(2, "face_value", "");
        String after = worker.projectAfter(before, reply("face_value", 2, 11000), row);
        assertEquals(Json.map(worker.project(item("face_value", sku(1, 4950, 5000), sku(2, 9900, 11000)), row)), Json.map(after));
    }

    @Test
    void whatTheReplyCannotTellIsReadAgain() {
        ItemSnapshot fixed = item("fixed", sku(1, 4950, 5000), sku(2, 9900, 10000));
        // a dated price, a calendar item, a SKU the reply leaves out, another field, no reply, an undo row of several changes
        assertNull(worker.projectAfter(fixed, reply("sale_price", 1, 4940), row(1, "sale_price", "2026-12-24")));
        assertNull(worker.projectAfter(item("calendar", sku(1, 4950, 0)), reply("sale_price", 1, 4940), row(1, "sale_price", "")));
        assertNull(worker.projectAfter(item("fixed", Sku.newBuilder(sku(1, 4950, 0)).addCalendar(DatedPrice.newBuilder()
                .setDate("2026-12-24").setPriceCents(4000)).build()), reply("sale_price", 1, 4940), row(1, "sale_price", "")));
        assertNull(worker.projectAfter(fixed, reply("sale_price", 1, 4940), row(0, "sale_price", "")));
        assertNull(worker.projectAfter(fixed, reply("face_value", 1, 4940), row(1, "sale_price", "")));
        assertNull(worker.projectAfter(fixed, ItemResult.newBuilder().setOk(true).build(), row(1, "sale_price", "")));
        Map<String, Object> undo = row(0, "sale_price", "");
        undo.put("changes", List.of(row(1, "sale_price", ""), row(2, "sale_price", "")));
        assertNull(worker.projectAfter(fixed, reply("sale_price", 1, 4940, 2, 9890), undo));
    }
}
