package dev.marketops.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.platform.json.IdSchemaFilter;
import dev.marketops.platform.json.JsonIds;
import dev.marketops.platform.problem.ProblemDetail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.junit.jupiter.api.Test;

/** Ids above 2^53 leave the REST mapper as strings, whatever shape the response has, and are read back from either form. */
class JsonIdsTest {

    private static final long BIG = 121310230513618944L; // rounds to ...940 as a JavaScript number
    private static final ObjectMapper REST = new ObjectMapper().registerModule(JsonIds.module());

    record Sku(long skuId, String code) {
    }

    record Item(long id, Long shopId, Long parentId, List<Long> tagIds, long[] relatedIds, long version, int stock,
                String externalId, List<Sku> skus, Map<String, Object> extra) {
    }

    @Test
    void beanIdsAndIdCollectionsAreStringsOtherNumbersStayNumbers() throws Exception {
        Item item = new Item(BIG, BIG + 1, null, List.of(BIG, 7L), new long[] {BIG}, 3, 5, "ext-1",
                List.of(new Sku(BIG + 2, "A")), Map.of("categoryId", 12L));

        JsonNode json = REST.readTree(REST.writeValueAsString(item));

        assertEquals("121310230513618944", json.get("id").textValue());
        assertEquals("121310230513618945", json.get("shopId").textValue());
        assertTrue(json.get("parentId").isNull());
        assertEquals("121310230513618944", json.get("tagIds").get(0).textValue());
        assertEquals("7", json.get("tagIds").get(1).textValue());
        assertEquals("121310230513618944", json.get("relatedIds").get(0).textValue());
        assertEquals("121310230513618946", json.get("skus").get(0).get("skuId").textValue());
        assertEquals("12", json.get("extra").get("categoryId").textValue());
        assertTrue(json.get("version").isNumber());
        assertTrue(json.get("stock").isNumber());
        assertEquals("ext-1", json.get("externalId").textValue());
    }

    @Test
    void handBuiltMapsAndTreesAreRewrittenByKey() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("batchId", BIG);
        map.put("item_id", BIG);
        map.put("failedIds", List.of(BIG));
        map.put("total", 10L);
        map.put("nested", Map.of("listingId", BIG));
        JsonNode fromMap = REST.readTree(REST.writeValueAsString(map));
        assertEquals("121310230513618944", fromMap.get("batchId").textValue());
        assertEquals("121310230513618944", fromMap.get("item_id").textValue());
        assertEquals("121310230513618944", fromMap.get("failedIds").get(0).textValue());
        assertEquals("121310230513618944", fromMap.get("nested").get("listingId").textValue());
        assertEquals(10L, fromMap.get("total").longValue());

        ObjectNode tree = REST.createObjectNode();
        tree.put("id", BIG).put("count", 2);
        tree.putArray("rows").addObject().put("itemId", BIG).putArray("skuIds").add(BIG);
        JsonNode fromTree = REST.readTree(REST.writeValueAsString(tree));
        assertEquals("121310230513618944", fromTree.get("id").textValue());
        assertEquals(2, fromTree.get("count").intValue());
        assertEquals("121310230513618944", fromTree.get("rows").get(0).get("itemId").textValue());
        assertEquals("121310230513618944", fromTree.get("rows").get(0).get("skuIds").get(0).textValue());
    }

    @Test
    void aProblemsIdExtensionsAndTheValueOfAnIdFieldAreStrings() throws Exception {
        ProblemDetail p = new ProblemDetail("urn:x", "Bad Request", 400, "IDENTITY_MISMATCH", "not yours", "/x",
                Map.of("field", "params.shopId", "value", BIG, "duplicateOf", BIG));
        JsonNode json = REST.readTree(REST.writeValueAsString(p));
        assertEquals("121310230513618944", json.get("value").textValue());
        assertEquals("121310230513618944", json.get("duplicateOf").textValue());
        assertEquals(400, json.get("status").intValue());
        JsonNode notAnId = REST.readTree(REST.writeValueAsString(new ProblemDetail("urn:x", "Bad Request", 400,
                "INVALID_FIELD", "too big", "/x", Map.of("field", "size", "value", 500))));
        assertEquals(500, notAnId.get("value").intValue());
    }

    @Test
    void requestsAcceptIdsAsStringsOrNumbers() throws Exception {
        Sku fromString = REST.readValue("{\"skuId\":\"121310230513618944\",\"code\":\"A\"}", Sku.class);
        Sku fromNumber = REST.readValue("{\"skuId\":121310230513618944,\"code\":\"A\"}", Sku.class);
        assertEquals(BIG, fromString.skuId());
        assertEquals(BIG, fromNumber.skuId());
        Item round = REST.readValue(REST.writeValueAsString(new Item(BIG, null, null, List.of(BIG), new long[] {BIG},
                1, 1, null, List.of(), Map.of())), Item.class);
        assertEquals(BIG, round.id());
        assertEquals(List.of(BIG), round.tagIds());
        assertEquals(BIG, round.relatedIds()[0]);
    }

    @Test
    void theOpenApiFilterTypesIdsAsInt64Strings() {
        Schema item = OASFactory.createSchema()
                .addProperty("itemId", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64"))
                .addProperty("shopId", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER, Schema.SchemaType.NULL)).format("int64"))
                .addProperty("tagIds", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64")))
                .addProperty("version", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64"));
        Parameter path = OASFactory.createParameter().name("batchId")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64"));

        IdSchemaFilter filter = new IdSchemaFilter();
        filter.filterSchema(item);
        filter.filterParameter(path);

        assertEquals(List.of(Schema.SchemaType.STRING), item.getProperties().get("itemId").getType());
        assertEquals("int64", item.getProperties().get("itemId").getFormat());
        assertEquals(List.of(Schema.SchemaType.STRING, Schema.SchemaType.NULL), item.getProperties().get("shopId").getType());
        assertEquals(List.of(Schema.SchemaType.STRING), item.getProperties().get("tagIds").getItems().getType());
        assertEquals(List.of(Schema.SchemaType.INTEGER), item.getProperties().get("version").getType());
        assertEquals(List.of(Schema.SchemaType.STRING), path.getSchema().getType());
    }

    @Test
    void idNamesFollowTheConvention() {
        assertTrue(JsonIds.isIdName("id"));
        assertTrue(JsonIds.isIdName("itemId"));
        assertTrue(JsonIds.isIdName("skuIds"));
        assertTrue(JsonIds.isIdName("category_id"));
        assertTrue(JsonIds.isIdName("createdBy"));
        assertTrue(JsonIds.isIdName("undoOf"));
        assertFalse(JsonIds.isIdName("paid"));
        assertFalse(JsonIds.isIdName("valid"));
        assertFalse(JsonIds.isIdName("idle"));
    }
}
