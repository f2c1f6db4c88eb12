package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.attribute;
import static dev.marketops.config.ConfigFixtures.auditRow;
import static dev.marketops.config.ConfigFixtures.createCategory;
import static dev.marketops.config.ConfigFixtures.postAttribute;
import static dev.marketops.config.ConfigFixtures.postAuditRow;
import static dev.marketops.config.ConfigFixtures.publishedFor;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad configuration is refused with a problem naming the field and the reason, and leaves no trace. */
@QuarkusTest
class ConfigInputValidationTest {

    private static final long ENTERTAINMENT = 3000;

    @Inject
    AgroalDataSource db;

    long category;

    @BeforeEach
    void aFreshCategory() {
        category = createCategory("VALIDATION", "Validation scenarios", ENTERTAINMENT);
    }

    /** The number of attribute rows, audit rows and config.publish events of the category. */
    private String footprint() {
        int attributes = admin().queryParam("includeInactive", true).get("/categories/" + category + "/attributes")
                .then().statusCode(200).extract().jsonPath().getList("$").size();
        int auditRows = admin().queryParam("categoryId", category).queryParam("includeInactive", true)
                .get("/audit-configs").then().statusCode(200).extract().jsonPath().getList("$").size();
        return attributes + " attributes, " + auditRows + " audit rows, " + publishedFor(db, category).size() + " events";
    }

    @Test
    void anAttributeOfAnUnknownCategoryIsNotFound() {
        postAttribute(987_654_321, attribute("anything")).statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_CATEGORY"));
        assertEquals(0, publishedFor(db, 987_654_321).size());
    }

    @Test
    void badAttributeDefinitionsNameTheFieldAndWriteNothing() {
        String before = footprint();

        postAttribute(category, attribute("colour").type("rgb")).statusCode(400)
                .body("code", equalTo("INVALID_FIELD")).body("field", equalTo("type")).body("value", equalTo("rgb"));
        postAttribute(category, attribute("seat_zone").type("enum")).statusCode(400)
                .body("field", equalTo("enumValues")).body("reason", equalTo("an enum attribute needs at least one value"));
        postAttribute(category, attribute("artist").values("a", "b")).statusCode(400)
                .body("field", equalTo("enumValues"));
        postAttribute(category, attribute("seat_number").rule("pattern", "([A-Z")).statusCode(400)
                .body("field", equalTo("validationRule.pattern"))
                .body("reason", startsWith("is not a valid regular expression"));
        postAttribute(category, attribute("venue").rule("maxItems", 3)).statusCode(400)
                .body("field", equalTo("validationRule.maxItems"));
        postAttribute(category, attribute("show_time").type("datetime").rule("min", "yesterday")).statusCode(400)
                .body("field", equalTo("validationRule.min"));
        postAttribute(category, attribute("Show Time")).statusCode(400).body("field", equalTo("code"));
        postAttribute(category, attribute("no_name").with("name", null)).statusCode(400).body("field", equalTo("name"));

        assertEquals(before, footprint());
    }

    @Test
    void aDuplicateAttributeCodeIsAConflict() {
        postAttribute(category, attribute("concert_name")).statusCode(201);
        String before = footprint();

        postAttribute(category, attribute("concert_name").type("integer")).statusCode(409)
                .body("code", equalTo("DUPLICATE_ATTRIBUTE_CODE")).body("field", equalTo("code"));

        assertEquals(before, footprint());
    }

    @Test
    void anAttributeUpdateAgainstAnOldVersionIsStale() {
        postAttribute(category, attribute("artist").rule("maxLength", 100)).statusCode(201).body("version", equalTo(0));
        admin().contentType("application/json").body(Map.of("version", 0, "required", true))
                .put("/categories/" + category + "/attributes/artist").then().statusCode(200)
                .body("version", equalTo(1)).body("required", equalTo(true)).body("validationRule.maxLength", equalTo(100));
        String before = footprint();

        admin().contentType("application/json").body(Map.of("version", 0, "name", "Band"))
                .put("/categories/" + category + "/attributes/artist").then().statusCode(409)
                .body("code", equalTo("STALE_VERSION")).body("currentVersion", equalTo(1));
        admin().contentType("application/json").body(Map.of("name", "Band"))
                .put("/categories/" + category + "/attributes/artist").then().statusCode(400)
                .body("code", equalTo("MISSING_FIELD")).body("field", equalTo("version"));
        admin().contentType("application/json").body(Map.of("version", 1, "type", "enum"))
                .put("/categories/" + category + "/attributes/artist").then().statusCode(400)
                .body("field", equalTo("enumValues"));

        assertEquals(before, footprint());
        admin().get("/categories/" + category + "/attributes/artist").then().body("name", equalTo("artist"));
    }

    @Test
    void badAuditRowsNameTheFieldAndWriteNothing() {
        String before = footprint();

        postAuditRow(auditRow(987_654_321, "api", null, "auto")).statusCode(400)
                .body("code", equalTo("UNKNOWN_CATEGORY")).body("field", equalTo("categoryId"));
        postAuditRow(auditRow(category, "fax", null, "auto")).statusCode(400).body("field", equalTo("sourceType"));
        postAuditRow(auditRow(category, "api", "robot", "auto")).statusCode(400).body("field", equalTo("sourceUserType"));
        postAuditRow(auditRow(category, "api", null, "yolo")).statusCode(400).body("field", equalTo("auditStrategy"));
        postAuditRow(auditRow(category, "api", null, null)).statusCode(400)
                .body("code", equalTo("MISSING_FIELD")).body("field", equalTo("auditStrategy"));

        assertEquals(before, footprint());
    }

    @Test
    void aSecondRowForTheSameCategorySourceAndUserTypeIsAConflict() {
        postAuditRow(auditRow(category, "api", null, "auto")).statusCode(201);
        postAuditRow(auditRow(category, "api", "merchant", "manual")).statusCode(201);
        String before = footprint();

        // "any user type" is a key value of its own: NULLs must not slip past the unique index
        postAuditRow(auditRow(category, "api", null, "skip")).statusCode(409).body("code", equalTo("DUPLICATE_AUDIT_CONFIG"));
        postAuditRow(auditRow(category, "api", "merchant", "skip")).statusCode(409);

        assertEquals(before, footprint());
    }

    @Test
    void auditRowAndCategoryUpdatesAgainstAnOldVersionAreStale() {
        long configId = postAuditRow(auditRow(category, "merchant_app", "merchant", "manual")).statusCode(201)
                .extract().jsonPath().getLong("configId");
        admin().contentType("application/json").body(Map.of("version", 0, "auditStrategy", "auto"))
                .put("/audit-configs/" + configId).then().statusCode(200)
                .body("auditStrategy", equalTo("auto")).body("version", equalTo(1));
        admin().contentType("application/json").body(Map.of("version", 0, "name", "Renamed"))
                .put("/categories/" + category).then().statusCode(200).body("version", equalTo(1));
        String before = footprint();

        admin().contentType("application/json").body(Map.of("version", 0, "auditStrategy", "skip"))
                .put("/audit-configs/" + configId).then().statusCode(409)
                .body("code", equalTo("STALE_VERSION")).body("currentVersion", equalTo(1));
        admin().contentType("application/json").body(Map.of("version", 1, "sourceType", "api"))
                .put("/audit-configs/" + configId).then().statusCode(400).body("field", equalTo("sourceType"));
        admin().contentType("application/json").body(Map.of("version", 0, "name", "Again"))
                .put("/categories/" + category).then().statusCode(409)
                .body("code", equalTo("STALE_VERSION")).body("currentVersion", equalTo(1));

        assertEquals(before, footprint());
        ConfigFixtures.resolve(category, "merchant_app", "merchant").body("strategy", equalTo("auto"));
    }
}
