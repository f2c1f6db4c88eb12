package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.attribute;
import static dev.marketops.config.ConfigFixtures.createCategory;
import static dev.marketops.config.ConfigFixtures.postAttribute;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.proto.catalog.ItemSnapshot;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Attribute schema versions (main seed 4.5.2): numbered changes, and breaking ones previewed against online items first. */
@QuarkusTest
class AttributeSchemaVersionTest {

    @Test
    void makingAnAttributeRequiredReportsTheOnlineItemsWithoutItAndAppliesOnlyWhenConfirmed() {
        long parent = createCategory("SCHEMA", "Schema test", 2000);
        long child = createCategory("SCHEMA_SUB", "Schema test child", parent);
        postAttribute(parent, attribute("breakfast").type("enum").values("none", "single", "double")).statusCode(201);
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        // Online: 3 without the attribute (two in the child, which inherits it), 2 with it; one offline item without it.
        CatalogueStub.ITEMS.put(parent, List.of(item(base + 1, parent, "online", "{}"),
                item(base + 2, parent, "online", "{\"breakfast\":\"single\"}"),
                item(base + 3, parent, "offline", "{}")));
        CatalogueStub.ITEMS.put(child, List.of(item(base + 4, child, "online", "{\"breakfast\":\"\"}"),
                item(base + 5, child, "online", "{\"other\":1}"), item(base + 6, child, "online", "{\"breakfast\":\"double\"}")));
        int created = versionOf(parent);

        JsonPath preview = admin().contentType("application/json").body(versioned(parent, "breakfast", Map.of("required", true)))
                .put("/categories/" + parent + "/attributes/breakfast").then().statusCode(409)
                .body("code", equalTo("CONFIRMATION_REQUIRED")).body("affectedItems", equalTo(3))
                .body("scannedItems", equalTo(5))
                .body("sampleItemIds", containsInAnyOrder(Long.toString(base + 1), Long.toString(base + 4), Long.toString(base + 5)))
                .body("breaking.kind", hasItem("REQUIRED_ADDED")).body("schemaVersion", equalTo(created))
                .extract().jsonPath();
        admin().get("/categories/" + parent + "/attributes/breakfast").then().statusCode(200).body("required", equalTo(false));

        // A confirmation naming an older schema version is refused with a stable code.
        admin().contentType("application/json").body(versioned(parent, "breakfast", Map.of("required", true))).queryParam("confirm", true)
                .queryParam("schemaVersion", created - 1)
                .put("/categories/" + parent + "/attributes/breakfast").then().statusCode(409)
                .body("code", equalTo("STALE_SCHEMA_VERSION")).body("currentSchemaVersion", equalTo(created));

        admin().contentType("application/json").body(versioned(parent, "breakfast", Map.of("required", true))).queryParam("confirm", true)
                .queryParam("schemaVersion", preview.getInt("schemaVersion"))
                .put("/categories/" + parent + "/attributes/breakfast").then().statusCode(200).body("required", equalTo(true));

        admin().get("/categories/" + parent + "/schema/versions").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].schemaVersion", equalTo(created + 1)).body("[0].changeKind", equalTo("updated"))
                .body("[0].attributeCode", equalTo("breakfast"))
                .body("[0].diff.required.from", equalTo(false)).body("[0].diff.required.to", equalTo(true))
                .body("[0].affectedItems", equalTo(3)).body("[0].changedBy", equalTo(Long.toString(ConfigFixtures.ADMIN_ID)))
                .body("[1].schemaVersion", equalTo(created)).body("[1].changeKind", equalTo("created"));

        // The same confirmation again is stale: the schema moved on with the change it confirmed.
        admin().contentType("application/json").body(versioned(parent, "breakfast", Map.of("enumValues", List.of("none", "double")))).queryParam("confirm", true)
                .queryParam("schemaVersion", preview.getInt("schemaVersion"))
                .put("/categories/" + parent + "/attributes/breakfast").then().statusCode(409)
                .body("code", equalTo("STALE_SCHEMA_VERSION"));
    }

    @Test
    void removingAnEnumValueCountsTheItemsHoldingItAndAChangeNoItemFailsAppliesAtOnce() {
        long category = createCategory("SCHEMA_ENUM", "Schema enum test", 2000);
        postAttribute(category, attribute("bed").type("enum").values("king", "twin", "triple")).statusCode(201);
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        List<ItemSnapshot> items = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            items.add(item(base + i, category, "online", i % 2 == 0 ? "{\"bed\":\"triple\"}" : "{\"bed\":\"king\"}"));
        }
        CatalogueStub.ITEMS.put(category, items);

        admin().contentType("application/json").body(versioned(category, "bed", Map.of("enumValues", List.of("king", "twin"))))
                .put("/categories/" + category + "/attributes/bed").then().statusCode(409)
                .body("code", equalTo("CONFIRMATION_REQUIRED")).body("affectedItems", equalTo(6))
                .body("sampleItemIds", hasSize(6)).body("breaking.kind", hasItem("ENUM_VALUES_REMOVED"));

        // Adding a value and renaming invalidate nothing: applied without a preview, each a new version.
        int before = versionOf(category);
        admin().contentType("application/json").body(versioned(category, "bed", Map.of("enumValues", List.of("king", "twin", "triple", "queen"), "name", "Bed")))
                .put("/categories/" + category + "/attributes/bed").then().statusCode(200).body("name", equalTo("Bed"));
        admin().get("/categories/" + category + "/schema/versions").then().statusCode(200)
                .body("[0].schemaVersion", equalTo(before + 1)).body("[0].diff.name.to", equalTo("Bed"))
                .body("[0].diff.enumValues.to", hasItem("queen")).body("[0].breaking", hasSize(0));

        // Changing the type to integer: every online item holds a text value.
        admin().contentType("application/json").body(versioned(category, "bed", Map.of("type", "integer", "enumValues", List.of())))
                .put("/categories/" + category + "/attributes/bed").then().statusCode(409)
                .body("affectedItems", equalTo(12)).body("sampleItemIds", hasSize(10)).body("breaking.kind", hasItem("TYPE_CHANGED"));

        // No online items hold the old value any more: the removal applies without confirmation.
        CatalogueStub.ITEMS.put(category, List.of(item(base, category, "online", "{\"bed\":\"king\"}")));
        admin().contentType("application/json").body(versioned(category, "bed", Map.of("enumValues", List.of("king", "twin"))))
                .put("/categories/" + category + "/attributes/bed").then().statusCode(200)
                .body("enumValues", containsInAnyOrder("king", "twin"));
        assertEquals(before + 2, versionOf(category));
    }

    @Test
    void aNewRequiredAttributeIsPreviewedAndDeactivationIsRecorded() {
        long category = createCategory("SCHEMA_NEW", "Schema new attribute", 2000);
        long base = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        CatalogueStub.ITEMS.put(category, List.of(item(base, category, "online", "{}")));
        postAttribute(category, attribute("checkin").required()).statusCode(409)
                .body("code", equalTo("CONFIRMATION_REQUIRED")).body("affectedItems", equalTo(1))
                .body("schemaVersion", equalTo(0));
        admin().contentType("application/json").body(attribute("checkin").required().build())
                .queryParam("confirm", true).queryParam("schemaVersion", 0)
                .post("/categories/" + category + "/attributes").then().statusCode(201);
        admin().delete("/categories/" + category + "/attributes/checkin").then().statusCode(200).body("active", equalTo(false));
        admin().get("/categories/" + category + "/schema/versions").then().statusCode(200)
                .body("changeKind", org.hamcrest.Matchers.contains("deactivated", "created"))
                .body("[0].diff.active.to", equalTo(false)).body("[1].affectedItems", equalTo(1));
    }

    /** The change with the attribute's current version (updates are optimistic). */
    private static Map<String, Object> versioned(long categoryId, String code, Map<String, ?> change) {
        Map<String, Object> body = new java.util.HashMap<>(change);
        body.put("version", admin().get("/categories/" + categoryId + "/attributes/" + code).then().statusCode(200)
                .extract().jsonPath().getLong("version"));
        return body;
    }

    private static int versionOf(long categoryId) {
        List<Integer> versions = admin().get("/categories/" + categoryId + "/schema/versions").then().statusCode(200)
                .extract().jsonPath().getList("schemaVersion", Integer.class);
        return versions.isEmpty() ? 0 : versions.getFirst();
    }

    private static ItemSnapshot item(long id, long categoryId, String status, String attributes) {
        return ItemSnapshot.newBuilder().setItemId(id).setCategoryId(categoryId).setStatus(status)
                .setAttributesJson(attributes).build();
    }
}
