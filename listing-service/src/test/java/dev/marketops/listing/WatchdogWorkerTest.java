package dev.marketops.listing;

import static dev.marketops.listing.TestCallers.asOperator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.listing.task.WatchdogWorker;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * WatchdogWorker with the test profile's short timeouts (1 s, backoff 0.2 s doubling): a task
 * nobody audits is announced again on listing.audit.pending up to its max_retry (3), then
 * failed with the reason and counted; after that it is left alone. (The test sweeps its own
 * task only: the shared database holds other suites' tasks.)
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class WatchdogWorkerTest {

    @Inject
    WatchdogWorker watchdog;
    @Inject
    AgroalDataSource ds;
    @Inject
    MeterRegistry meters;

    @Test
    void aTaskStuckInPendingAuditIsRetriedUpToItsMaxThenFailedWithTheReasonAndCounted() {
        // given a merchant's listing submitted for a (manual) audit that nobody does
        long task = draft();
        asOperator().body(Map.of("expectedVersion", 0)).post("/listings/" + task + "/actions/submit").then().statusCode(200);
        List<Long> only = List.of(task);
        assertEquals(new WatchdogWorker.Sweep(0, 0), watchdog.sweep(only), "not stuck before its timeout");
        double failedBefore = failedCount();

        // when it stays stuck, then it is announced again after each timeout, three times (its max_retry)
        for (int n = 1; n <= 3; n++) {
            await("retry " + n, () -> watchdog.sweep(only).retried() == 1);
            assertEquals(n, count("SELECT retry_count FROM listing_task WHERE task_id = " + task));
            assertEquals(1 + n, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + task
                    + "' AND topic = 'listing.audit.pending'"), "the submit's announcement and one per retry");
        }

        // then, its retries used up, it is failed with the reason (still PENDING_AUDIT for a late auditor) and counted
        await("the failure", () -> watchdog.sweep(only).failed() == 1);
        asOperator().get("/listings/" + task).then().statusCode(200).body("statusName", equalTo("PENDING_AUDIT"));
        assertEquals(1, count("SELECT count(*) FROM listing_task WHERE task_id = " + task
                + " AND sub_status = 'audit_timeout' AND error_message = 'stuck in PENDING_AUDIT past its timeout after 3 retries'"
                + " AND timeout_at IS NULL"));
        assertEquals(failedBefore + 1, failedCount());
        assertEquals(new WatchdogWorker.Sweep(0, 0), watchdog.sweep(only), "a failed task is no longer watched");
        assertEquals(4, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + task + "' AND topic = 'listing.audit.pending'"));
        // and escalated once, for NotificationWorker to tell the operators
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE msg_key = '" + task + "' AND topic = 'listing.task.escalated' "
                + "AND event_type = 'escalated'"));
    }

    /** A new draft; a loaded machine can make the config lookup time out (503 CONFIG_UNAVAILABLE): ask again. */
    private static long draft() {
        io.restassured.response.Response r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = TestCallers.asMerchant(9, TestCallers.HARBOUR_DEALS)
                    .body(TestCallers.merchantDraft(SampleListings.DEAL, "merchant_portal")).post("/listings");
            if (r.statusCode() != 503) {
                break;
            }
        }
        return r.then().statusCode(201).extract().jsonPath().getLong("taskId");
    }

    private double failedCount() {
        var c = meters.find("marketops_watchdog_tasks_total").tags("state", "PENDING_AUDIT", "outcome", "failed").counter();
        return c == null ? 0 : c.count();
    }

    private long count(String sql) {
        try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.get()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + what);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
