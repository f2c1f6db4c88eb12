package dev.marketops.listing.catalogue.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.proto.catalog.AdjustPricesRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.PriceChange;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A 10,000-row price batch (10 AdjustPrices chunks of 1,000, as the batch worker sends them) with
 * history on and off: run with {@code -Dhistory.bench=true} and again with
 * {@code -Dmarketops.history.enabled=false}. Items are made by SQL (the saga is not measured).
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class HistoryBenchTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @ConfigProperty(name = "marketops.history.enabled")
    boolean historyOn;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    @EnabledIfSystemProperty(named = "history.bench", matches = "true")
    void tenThousandRowPriceBatch() throws Exception {
        int n = 10_000, chunk = 1_000;
        long base = -(System.nanoTime() % 1_000_000_000L) * 100_000L; // negative ids: no clash with snowflakes
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("INSERT INTO item (item_id, task_id, category_id, shop_id, title, status, source_type, "
                    + "inventory_model, price_model) SELECT " + base + " - g, " + base + " - g, 1300, 77, 'bench ' || g, 'online', "
                    + "'api', 'quantity', 'fixed' FROM generate_series(1, " + n + ") g");
            c.createStatement().execute("INSERT INTO sku (sku_id, item_id, sku_code, name, sale_price_cents, stock) SELECT "
                    + base + " - g, " + base + " - g, 'default', 'default', 1000, 100 FROM generate_series(1, " + n + ") g");
            c.createStatement().execute("INSERT INTO item_attribute (item_id, attr_code, attr_value) SELECT " + base
                    + " - g, 'valid_days', '30' FROM generate_series(1, " + n + ") g");
        }
        List<Long> millis = new ArrayList<>();
        List<Long> historyMillis = new ArrayList<>();
        io.micrometer.core.instrument.Timer writes = registry.timer("marketops_history_write_seconds");
        for (int round = 0; round < 7; round++) {
            long started = System.nanoTime();
            double historyBefore = writes.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
            for (int from = 0; from < n; from += chunk) {
                AdjustPricesRequest.Builder r = AdjustPricesRequest.newBuilder().setBatchId(round + 1).setOperatorId(1);
                for (int i = from; i < from + chunk; i++) {
                    r.addChanges(PriceChange.newBuilder().setIndex(i).setItemId(base - (i + 1)).setMode("add").setValue(1));
                }
                assertEquals(chunk, catalog.adjustPrices(r.build()).getSucceeded());
            }
            millis.add((System.nanoTime() - started) / 1_000_000);
            historyMillis.add(Math.round(writes.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) - historyBefore));
        }
        List<Long> measured = new ArrayList<>(millis.subList(1, millis.size()));
        measured.sort(Long::compare);
        System.out.println("HISTORY-BENCH history=" + (historyOn ? "on" : "off") + " 10,000-row price batch ms per round " + millis
                + " (first is warm-up) median " + measured.get(measured.size() / 2) + " min " + measured.get(0)
                + "; of which writing history (marketops_history_write_seconds, the statement that numbers, updates the item"
                + " and inserts the rows) ms per round " + historyMillis);
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("DELETE FROM product_version_history WHERE product_id BETWEEN " + (base - n) + " AND " + (base - 1));
            c.createStatement().execute("DELETE FROM item WHERE item_id BETWEEN " + (base - n) + " AND " + (base - 1));
        }
    }
}
