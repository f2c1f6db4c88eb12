package dev.marketops.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ServiceProcess;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a pull: a real supplier-sync-service process (its built jar) pulls
 * 30 records in pages of 10 from a change API on loopback that hangs on page 2; the process is
 * killed there, a new one is started, and the pull completes from the committed cursor: page 1
 * is not fetched again and every record is applied once (one listing task each).
 */
@QuarkusTest
class SupplierPullCrashIT {

    @Inject
    AgroalDataSource ds;

    @Test
    void aPullKilledMidwayResumesFromItsLastCommittedPage() throws Exception {
        String code = "CRASH_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        try (PullSimulator sim = new PullSimulator()) {
            for (int i = 0; i < 30; i++) {
                sim.add(SupplierRecords.hotel(code + "-R" + i, 1, 300 + i, 5));
            }
            sim.hangOnce("10", 120_000);
            Map<String, Object> b = new HashMap<>(SupplierRegistryTest.body(code));
            b.put("endpointUrl", sim.url());
            b.put("pageSize", 10);
            b.put("rateLimitPerSecond", 50);
            b.put("enabled", true);
            SupplierRegistryTest.admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(201);

            ServiceProcess first = peer();
            try {
                SupplierPushTest.await("the first process is stuck on page 2", () -> sim.requests.stream().anyMatch(r -> r.endsWith("cursor=10")));
                assertEquals("10", text("SELECT page_cursor FROM supplier_sync_state WHERE supplier_code = ?", code));
            } finally {
                first.kill();
            }
            assertEquals(10, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ? AND task_id IS NOT NULL", code));
            assertEquals(null, text("SELECT watermark FROM supplier_sync_state WHERE supplier_code = ?", code));

            try (ServiceProcess second = peer()) {
                SupplierPushTest.await("the restarted process completes the pull",
                        () -> "W1".equals(text("SELECT watermark FROM supplier_sync_state WHERE supplier_code = ?", code)));
            }
            assertEquals(1, sim.requests.stream().filter(r -> r.endsWith("cursor=0")).count(), sim.requests.toString());
            assertTrue(sim.requests.stream().filter(r -> r.endsWith("cursor=10")).count() >= 2, sim.requests.toString());
            assertEquals(30, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ? AND task_id IS NOT NULL", code));
            assertEquals(30, count("SELECT count(DISTINCT task_id) FROM supplier_item WHERE supplier_code = ?", code));
            assertEquals(30, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ? AND last_version = 1 AND applied_version = 1", code));
            SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 0, "enabled", false))
                    .put("/suppliers/" + code).then().statusCode(200);
        }
    }

    /** supplier-sync-service as its own process, pulling (only), against the same listing-service and database. */
    private static ServiceProcess peer() {
        var cfg = ConfigProvider.getConfig();
        String listing = cfg.getValue("quarkus.grpc.clients.listing.port", String.class);
        String config = cfg.getValue("quarkus.grpc.clients.config.port", String.class);
        String grpc = String.valueOf(ServiceProcess.freePort());
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.grpc.server.port", grpc);
        p.put("quarkus.grpc.server.test-port", grpc);
        p.put("quarkus.grpc.clients.listing.port", listing);
        p.put("quarkus.grpc.clients.listing.test-port", listing);
        p.put("quarkus.grpc.clients.config.port", config);
        p.put("quarkus.grpc.clients.config.test-port", config);
        p.put("marketops.supplier.pull.exclude", "(?!CRASH_).*");
        p.put("marketops.supplier.credentials.secrets-dir", PullSimulator.SECRETS.toString());
        p.put("marketops.supplier.pull.request-timeout", "PT150S");
        p.put("marketops.workers.supplier-push-consumer.enabled", "false");
        p.put("marketops.workers.supplier-sync-monitor-worker.enabled", "false");
        p.put("marketops.workers.supplier-data-clean-worker.enabled", "false");
        return ServiceProcess.start("supplier-sync-service", ServiceProcess.freePort(), p);
    }

    private long count(String sql, String arg) {
        return Long.parseLong(text(sql, arg));
    }

    private String text(String sql, String arg) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
