package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.as;
import static dev.marketops.config.ConfigFixtures.attribute;
import static dev.marketops.config.ConfigFixtures.auditRow;
import static dev.marketops.config.ConfigFixtures.createCategory;
import static dev.marketops.config.ConfigFixtures.postAttribute;
import static dev.marketops.config.ConfigFixtures.postAuditRow;
import static dev.marketops.config.ConfigFixtures.publishedFor;
import static dev.marketops.config.ConfigFixtures.resolve;
import static dev.marketops.config.ConfigFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.security.Permission;
import dev.marketops.platform.security.Roles;
import dev.marketops.platform.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Who may read and change configuration: reads are CONFIG_READ, every write CONFIG_WRITE (admins
 * only), exactly as {@link Permission} says; a refused write changes nothing; an allowed one
 * records the token's user.
 */
@QuarkusTest
class ConfigAccessTest {

    private static final long ENTERTAINMENT = 3000;

    @Inject
    AgroalDataSource db;

    /** What a write targets: a category with one attribute and one audit row, all made by the admin. */
    record Target(long category, long configId) {
    }

    private static Target freshTarget() {
        long category = createCategory("ACCESS", "Access scenarios", ENTERTAINMENT);
        postAttribute(category, attribute("hall")).statusCode(201);
        long configId = postAuditRow(auditRow(category, "merchant_portal", "merchant", "manual")).statusCode(201)
                .extract().jsonPath().getLong("configId");
        return new Target(category, configId);
    }

    /** Every configuration write, each with the status it answers when allowed. */
    private static List<Write> writes() {
        List<Write> w = new ArrayList<>();
        w.add(new Write("POST /categories", 201, (r, t) -> r.contentType("application/json")
                .body(Map.of("code", unique("ACCESS_NEW"), "name", "n", "parentId", t.category())).post("/categories")));
        w.add(new Write("PUT /categories/{id}", 200, (r, t) -> r.contentType("application/json")
                .body(Map.of("name", "Renamed", "version", 0)).put("/categories/" + t.category())));
        w.add(new Write("POST attribute", 201, (r, t) -> r.contentType("application/json")
                .body(attribute("seats").build()).post("/categories/" + t.category() + "/attributes")));
        w.add(new Write("PUT attribute", 200, (r, t) -> r.contentType("application/json")
                .body(Map.of("name", "Hall no.", "version", 0)).put("/categories/" + t.category() + "/attributes/hall")));
        w.add(new Write("DELETE attribute", 200, (r, t) -> r.delete("/categories/" + t.category() + "/attributes/hall")));
        w.add(new Write("POST /audit-configs", 201, (r, t) -> r.contentType("application/json")
                .body(auditRow(t.category(), "api", null, "auto")).post("/audit-configs")));
        w.add(new Write("PUT /audit-configs/{id}", 200, (r, t) -> r.contentType("application/json")
                .body(Map.of("auditStrategy", "skip", "version", 0)).put("/audit-configs/" + t.configId())));
        w.add(new Write("DELETE /audit-configs/{id}", 200, (r, t) -> r.delete("/audit-configs/" + t.configId())));
        return w;
    }

    record Write(String name, int allowedStatus, BiFunction<RequestSpecification, Target, Response> call) {
    }

    @Test
    void everyWriteFollowsTheRoleTable() {
        for (String role : Roles.PEOPLE) {
            boolean allowed = Permission.CONFIG_WRITE.roles().contains(role);
            Target t = freshTarget();
            int eventsBefore = publishedFor(db, t.category()).size();
            for (Write w : writes()) {
                int status = w.call().apply(as(role, 500 + Roles.PEOPLE.indexOf(role)), t).statusCode();
                assertEquals(allowed ? w.allowedStatus() : 403, status, role + " " + w.name());
            }
            if (!allowed) {
                // nothing changed: same versions, still manual, no event
                admin().get("/categories/" + t.category()).then().body("version", equalTo(0));
                admin().get("/categories/" + t.category() + "/attributes/hall").then()
                        .body("version", equalTo(0)).body("active", equalTo(true));
                admin().get("/audit-configs/" + t.configId()).then()
                        .body("version", equalTo(0)).body("auditStrategy", equalTo("manual")).body("active", equalTo(true));
                assertEquals(eventsBefore, publishedFor(db, t.category()).size(), role);
            }
        }
    }

    @Test
    void anonymousWritesAre401AndChangeNothing() {
        Target t = freshTarget();
        for (Write w : writes()) {
            Response r = w.call().apply(given(), t);
            assertEquals(401, r.statusCode(), w.name());
            assertEquals("UNAUTHENTICATED", r.jsonPath().getString("code"), w.name());
        }
        admin().get("/audit-configs/" + t.configId()).then().body("version", equalTo(0)).body("auditStrategy", equalTo("manual"));
        // a token the platform does not trust is no better than none
        given().header("Authorization", "Bearer " + Tokens.forged("admin", 1)).contentType("application/json")
                .body(Map.of("auditStrategy", "skip")).put("/audit-configs/" + t.configId()).then().statusCode(401);
    }

    @Test
    void onlyAnAdminCanSwitchModerationOffAndTheChangeNamesTheAdmin() {
        long category = createCategory("MODERATION", "Moderation switch", ENTERTAINMENT);
        long configId = postAuditRow(auditRow(category, "merchant_portal", "merchant", "manual")).statusCode(201)
                .body("createdBy", equalTo(String.valueOf(ConfigFixtures.ADMIN_ID)))
                .extract().jsonPath().getLong("configId");
        Map<String, Object> switchOff = Map.of("auditStrategy", "skip", "version", 0);

        given().contentType("application/json").body(switchOff).put("/audit-configs/" + configId).then().statusCode(401);
        as("operator", 7).contentType("application/json").body(switchOff).put("/audit-configs/" + configId).then()
                .statusCode(403).body("code", equalTo("FORBIDDEN"));
        as("auditor", 8).contentType("application/json").body(Map.of("active", false, "version", 0))
                .put("/audit-configs/" + configId).then().statusCode(403);
        resolve(category, "merchant_portal", "merchant").statusCode(200).body("strategy", equalTo("manual"));

        long otherAdmin = 4242;
        as("admin", otherAdmin).contentType("application/json").body(switchOff).put("/audit-configs/" + configId).then()
                .statusCode(200).body("auditStrategy", equalTo("skip"))
                .body("updatedBy", equalTo(String.valueOf(otherAdmin))).body("createdBy", equalTo(String.valueOf(ConfigFixtures.ADMIN_ID)));
        resolve(category, "merchant_portal", "merchant").statusCode(200).body("strategy", equalTo("skip"));
        assertEquals(List.of(ConfigFixtures.ADMIN_ID, otherAdmin), changedBy("listing_audit_config", "config_id", configId));
    }

    @Test
    void categoryAndAttributeChangesRecordTheirAuthor() {
        long category = createCategory("AUTHORED", "Authored", ENTERTAINMENT);
        postAttribute(category, attribute("hall")).statusCode(201);
        long attributeId = as("admin", 77).contentType("application/json").body(Map.of("name", "Hall", "version", 0))
                .put("/categories/" + category + "/attributes/hall").then().statusCode(200)
                .body("updatedBy", equalTo("77")).extract().jsonPath().getLong("attributeId");
        as("admin", 78).contentType("application/json").body(Map.of("name", "Authored!", "version", 0))
                .put("/categories/" + category).then().statusCode(200).body("updatedBy", equalTo("78"));
        assertEquals(List.of(ConfigFixtures.ADMIN_ID, 78L), changedBy("category", "category_id", category));
        assertEquals(List.of(ConfigFixtures.ADMIN_ID, 77L), changedBy("category_attribute", "attribute_id", attributeId));
    }

    @Test
    void everyPersonRoleReadsConfigurationAndNobodyReadsAnonymously() {
        List<String> reads = List.of("/categories", "/categories/3100", "/categories/3100/schema",
                "/categories/3100/attributes", "/categories/3100/attributes/show_time", "/audit-configs?categoryId=1200",
                "/audit-configs/resolve?categoryId=3100&sourceType=operator_form&sourceUserType=operator");
        for (String role : Roles.PEOPLE) {
            int expected = Permission.CONFIG_READ.roles().contains(role) ? 200 : 403;
            for (String path : reads) {
                as(role, 600).get(path).then().statusCode(expected);
            }
        }
        for (String path : reads) {
            given().get(path).then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        }
        // a service token is for gRPC between services, not for the REST API
        given().header("Authorization", "Bearer " + Tokens.serviceToken()).get("/categories").then().statusCode(403);
    }

    /** created_by and updated_by of a row, as stored. */
    private List<Long> changedBy(String table, String idColumn, long id) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT created_by, updated_by FROM " + table + " WHERE " + idColumn + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
