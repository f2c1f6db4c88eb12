package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.attribute;
import static dev.marketops.config.ConfigFixtures.auditRow;
import static dev.marketops.config.ConfigFixtures.postAttribute;
import static dev.marketops.config.ConfigFixtures.postAuditRow;
import static dev.marketops.config.ConfigFixtures.resolve;
import static dev.marketops.config.ConfigFixtures.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.proto.config.AuditStrategyDecision;
import dev.marketops.proto.config.CategoryAttribute;
import dev.marketops.proto.config.CategorySchema;
import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.GetCategoryRequest;
import dev.marketops.proto.config.ResolveAuditStrategyRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Main seed 11.2: a new category, concert tickets, goes live by configuration alone. Every
 * step is an operator's REST call; no code or migration is involved.
 */
@QuarkusTest
class ConcertOnboardingTest {

    private static final long ENTERTAINMENT = 3000;
    private static final List<String> CONCERT_ATTRIBUTES = List.of("concert_name", "artist", "show_time", "venue",
            "seat_zone", "ticket_tier", "seat_number");

    @GrpcClient("config-self")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub grpc;

    @Test
    void concertTicketsAreOnboardedThroughTheApiAlone() {
        // Step 1: the category tree, ENTERTAINMENT > PERFORMANCE > CONCERT
        long performance = admin().contentType("application/json")
                .body(Map.of("code", unique("PERFORMANCE"), "name", "Performance tickets", "parentId", ENTERTAINMENT))
                .post("/categories").then().statusCode(201).body("level", equalTo(2))
                .extract().jsonPath().getLong("categoryId");
        long concert = admin().contentType("application/json")
                .body(Map.of("code", unique("CONCERT"), "name", "Concert tickets", "parentId", performance))
                .post("/categories").then().statusCode(201).body("level", equalTo(3))
                .body("inventoryModel", equalTo("seat_based")).body("priceModel", equalTo("session"))
                .extract().jsonPath().getLong("categoryId");

        // Step 1b: its attributes
        postAttribute(concert, attribute("concert_name").required().rule("maxLength", 200).with("sortOrder", 1)).statusCode(201);
        postAttribute(concert, attribute("artist").required().rule("maxLength", 100).with("sortOrder", 2)).statusCode(201);
        postAttribute(concert, attribute("show_time").type("datetime").required().rule("min", "now").with("sortOrder", 3))
                .statusCode(201);
        postAttribute(concert, attribute("venue").required().rule("maxLength", 200).with("sortOrder", 4)).statusCode(201);
        postAttribute(concert, attribute("seat_zone").type("enum").required()
                .values("VIP", "Zone A", "Zone B", "Zone C", "Standing").with("sortOrder", 5)).statusCode(201);
        postAttribute(concert, attribute("ticket_tier").type("enum").required()
                .values("Floor VIP", "Stand VIP", "Standard", "Student").with("sortOrder", 6)).statusCode(201);
        postAttribute(concert, attribute("seat_number").with("sortOrder", 7)).statusCode(201)
                .body("required", equalTo(false));

        // Step 2: its audit strategy for each data source
        postAuditRow(auditRow(concert, "supplier_push", "system", "fast_track")).statusCode(201);
        postAuditRow(auditRow(concert, "supplier_pull", "system", "auto")).statusCode(201);
        postAuditRow(auditRow(concert, "operator_form", "operator", "skip")).statusCode(201);
        postAuditRow(auditRow(concert, "merchant_portal", "merchant", "manual")).statusCode(201);
        postAuditRow(auditRow(concert, "merchant_app", "merchant", "manual")).statusCode(201);

        // then the schema answers with the tree and the attributes
        admin().get("/categories/" + concert + "/schema").then().statusCode(200)
                .body("category.categoryId", equalTo(String.valueOf(concert)))
                .body("ancestorIds", contains(String.valueOf(ENTERTAINMENT), String.valueOf(performance)))
                .body("attributes.code", equalTo(CONCERT_ATTRIBUTES))
                .body("attributes.find { it.code == 'show_time' }.validationRule.min", equalTo("now"))
                .body("attributes.find { it.code == 'seat_zone' }.enumValues",
                        contains("VIP", "Zone A", "Zone B", "Zone C", "Standing"));
        CategorySchema schema = grpc.getCategorySchema(GetCategoryRequest.newBuilder().setCategoryId(concert).build());
        assertEquals(CONCERT_ATTRIBUTES, schema.getAttributesList().stream().map(CategoryAttribute::getAttributeCode).toList());
        assertEquals(List.of(ENTERTAINMENT, performance), schema.getAncestorIdsList());
        assertEquals("{\"maxLength\":200}", schema.getAttributes(0).getValidationRuleJson());
        assertTrue(schema.getAttributes(0).getRequired());

        // and so does the resolution, for each source
        resolve(concert, "supplier_pull", "system").statusCode(200)
                .body("strategy", equalTo("auto")).body("configured", equalTo(true))
                .body("matchedCategoryId", equalTo(String.valueOf(concert)));
        resolve(concert, "merchant_app", "merchant").statusCode(200).body("strategy", equalTo("manual"));
        resolve(concert, "operator_form", "operator").statusCode(200).body("strategy", equalTo("skip"));
        AuditStrategyDecision push = grpc.resolveAuditStrategy(ResolveAuditStrategyRequest.newBuilder()
                .setCategoryId(concert).setSourceType("supplier_push").setSourceUserType("system").build());
        assertEquals("fast_track", push.getStrategy());
        assertEquals(concert, push.getMatchedCategoryId());
        // a source it did not configure still gets the safe default
        resolve(concert, "api", null).statusCode(200).body("strategy", equalTo("auto")).body("configured", equalTo(false));
    }
}
