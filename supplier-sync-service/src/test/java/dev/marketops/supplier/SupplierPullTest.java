package dev.marketops.supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Pull: a hotel supplier's change API on loopback serves 3 pages; the second answers 500 and the
 * third hangs past the timeout once. The pull backs off, resumes from the last committed page,
 * and every record is applied exactly once (one listing task each); a bad record is recorded
 * with its reason and does not stop its page; the next pull asks since the new watermark.
 */
@QuarkusTest
class SupplierPullTest {

    @Inject
    AgroalDataSource ds;

    @Test
    void aPullSurvivesAFailingEndpointMidwayAndAppliesEveryRecordOnce() throws Exception {
        String code = "PULL_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        try (PullSimulator sim = new PullSimulator()) {
            for (int i = 0; i < 24; i++) {
                sim.add(SupplierRecords.hotel(code + "-R" + i, 1, 300 + i, 5));
            }
            // one bad record in the middle of the second page
            sim.add(12, SupplierRecords.hotel(code + "-BAD", 1, 300, 5).replace("\"hotel\": \"Sea View Hotel\",", ""));
            sim.failOnce("10", PullSimulator.Fault.HTTP_500);
            sim.failOnce("20", PullSimulator.Fault.HANG);

            Map<String, Object> b = new HashMap<>(SupplierRegistryTest.body(code));
            b.put("endpointUrl", sim.url());
            b.put("pageSize", 10);
            b.put("rateLimitPerSecond", 50);
            b.put("enabled", true);
            b.put("pullIntervalSeconds", 3600);
            SupplierRegistryTest.admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(201);
            // the first pull is due at once (never pulled); "pull now" says so again
            SupplierRegistryTest.admin().post("/suppliers/" + code + "/pull").then().statusCode(202);

            SupplierPushTest.await("the pull completes", () -> state(code).getString("syncState.watermark") != null);
            JsonPath st = state(code);
            assertEquals("W1", st.getString("syncState.watermark"));
            assertEquals(null, st.getString("syncState.pageCursor"));
            assertTrue(sim.requests.contains("since=null cursor=10"), sim.requests.toString());
            // page 2 was asked for twice (500), page 3 twice (timeout); page 1 never again
            assertEquals(1, sim.requests.stream().filter(r -> r.endsWith("cursor=0")).count(), sim.requests.toString());
            assertEquals(2, sim.requests.stream().filter(r -> r.endsWith("cursor=10")).count(), sim.requests.toString());
            assertEquals(2, sim.requests.stream().filter(r -> r.endsWith("cursor=20")).count(), sim.requests.toString());

            // every good record once, as one supplier_pull task each; the bad one recorded with its reason
            assertEquals(24, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ? AND task_id IS NOT NULL", code));
            assertEquals(24, count("SELECT count(DISTINCT task_id) FROM supplier_item WHERE supplier_code = ?", code));
            List<String> reasons = SupplierRegistryTest.admin().get("/suppliers/" + code + "/failures").then().statusCode(200)
                    .extract().jsonPath().getList("reasonCode");
            assertTrue(reasons.contains("MISSING_FIELD"), reasons.toString());
            // the bad record is named by its page and row, its field and its external id
            JsonPath bad = SupplierRegistryTest.admin().get("/suppliers/" + code + "/failures").then().extract().jsonPath();
            int at = bad.getList("reasonCode").indexOf("MISSING_FIELD");
            assertEquals("page:10#2", bad.getString("row[" + at + "]"));
            assertEquals("hotel", bad.getString("field[" + at + "]"));
            assertEquals(code + "-BAD", bad.getString("externalId[" + at + "]"));
            assertTrue(reasons.contains("PAGE_FAILED"), reasons.toString());
            assertTrue(reasons.contains("TIMEOUT"), reasons.toString());
            // each stopped pull is announced for the supplier admins' notices (the 500, then the timeout), each page's outcome
            // for the statistics (the three pages, then the empty last one), with the state that recorded them
            assertEquals(2, count("SELECT count(*) FROM outbox_event WHERE topic = 'supplier.sync.failed' AND msg_key = ?", code));
            assertTrue(count("SELECT count(*) FROM outbox_event WHERE topic = 'supplier.sync.applied' AND msg_key = ?", code) >= 3);
            SupplierRegistryTest.admin().queryParam("status", "pending").get("/suppliers/" + code + "/items").then().statusCode(200)
                    .body("total", org.hamcrest.Matchers.equalTo(24));

            // every request carried the supplier's credentials (the simulator refuses one without)
            assertEquals(List.of(), sim.refused);

            // the next pull asks for changes since the watermark
            int before = sim.requests.size();
            SupplierRegistryTest.admin().post("/suppliers/" + code + "/pull").then().statusCode(202);
            SupplierPushTest.await("the second pull asks since W1", () -> sim.requests.size() > before
                    && sim.requests.get(sim.requests.size() - 1).startsWith("since=W1"));
            SupplierPushTest.await("the second pull completes", () -> state(code).getString("syncState.nextPullAt") != null
                    && state(code).getString("syncState.pullRequestedAt") == null);
            assertEquals(24, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ? AND task_id IS NOT NULL", code));
            SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 0, "enabled", false))
                    .put("/suppliers/" + code).then().statusCode(200);
        }
    }

    /**
     * Credentials: the pull presents the secret its credentialRef names (a file in the secrets
     * directory), read at each pull; a wrong one is refused by the change API and recorded as
     * CREDENTIALS_REFUSED without applying anything, a missing one as CREDENTIALS_UNAVAILABLE,
     * and neither value ever shows in the sync state or the failures. Once the operator puts the
     * right secret in place the next pull goes through.
     */
    @Test
    void aPullPresentsTheSuppliersCredentialsAndNeverShowsThem() throws Exception {
        String code = "CRED_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        String secret = "api-" + code.toLowerCase();
        String right = "tk_right_" + java.util.UUID.randomUUID().toString().replace("-", "");
        String wrong = "tk_wrong_" + java.util.UUID.randomUUID().toString().replace("-", "");
        PullSimulator.writeSecret(secret, wrong);
        try (PullSimulator sim = new PullSimulator()) {
            sim.expectedAuthorization = "Bearer " + right;
            sim.add(SupplierRecords.hotel(code + "-R0", 1, 300, 5));
            sim.add(SupplierRecords.hotel(code + "-R1", 1, 310, 5));
            Map<String, Object> b = new HashMap<>(SupplierRegistryTest.body(code));
            b.put("endpointUrl", sim.url());
            b.put("credentialRef", "secret:" + secret);
            b.put("enabled", true);
            b.put("pullIntervalSeconds", 3600);
            SupplierRegistryTest.admin().contentType("application/json").body(b).post("/suppliers").then().statusCode(201);

            SupplierPushTest.await("the wrong credentials are refused", () -> reasons(code).contains("CREDENTIALS_REFUSED"));
            assertTrue(sim.refused.contains("Bearer " + wrong), sim.refused.toString());
            assertEquals(List.of(), sim.requests);
            assertEquals(0, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ?", code));
            String shown = SupplierRegistryTest.admin().get("/suppliers/" + code + "/failures").then().statusCode(200).extract().asString()
                    + state(code).prettify();
            assertTrue(shown.contains("secret:" + secret), shown);
            assertTrue(!shown.contains(wrong) && !shown.contains(right), shown);

            // the operator rotates the secret: the next pull reads it and goes through
            PullSimulator.writeSecret(secret, right);
            SupplierRegistryTest.admin().post("/suppliers/" + code + "/pull").then().statusCode(202);
            SupplierPushTest.await("the pull completes with the right credentials", () -> "W1".equals(state(code).getString("syncState.watermark")));
            assertEquals(2, count("SELECT count(*) FROM supplier_item WHERE supplier_code = ? AND task_id IS NOT NULL", code));
            assertTrue(sim.requests.contains("since=null cursor=0"), sim.requests.toString());
            SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 0, "enabled", false))
                    .put("/suppliers/" + code).then().statusCode(200);

            // a reference to a secret that is not there: nothing is sent, the reason names the reference
            String missing = code + "_NOSECRET";
            Map<String, Object> m = new HashMap<>(SupplierRegistryTest.body(missing));
            m.put("endpointUrl", sim.url());
            m.put("credentialRef", "secret:absent-" + missing.toLowerCase());
            m.put("enabled", true);
            m.put("pullIntervalSeconds", 3600);
            int asked = sim.requests.size() + sim.refused.size();
            SupplierRegistryTest.admin().contentType("application/json").body(m).post("/suppliers").then().statusCode(201);
            SupplierPushTest.await("the missing secret is recorded", () -> reasons(missing).contains("CREDENTIALS_UNAVAILABLE"));
            assertEquals(asked, sim.requests.size() + sim.refused.size());
            SupplierRegistryTest.admin().contentType("application/json").body(Map.of("version", 0, "enabled", false))
                    .put("/suppliers/" + missing).then().statusCode(200);
        }
    }

    private static List<String> reasons(String code) {
        return SupplierRegistryTest.admin().get("/suppliers/" + code + "/failures").then().statusCode(200)
                .extract().jsonPath().getList("reasonCode");
    }

    private static JsonPath state(String code) {
        return given().header("Authorization", Tokens.bearer("supplier_admin", 10)).get("/suppliers/" + code).then()
                .statusCode(200).extract().jsonPath();
    }

    private long count(String sql, String arg) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
