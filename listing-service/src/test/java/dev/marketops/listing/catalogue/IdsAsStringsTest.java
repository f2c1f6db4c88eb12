package dev.marketops.listing.catalogue;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.OpenApiIds;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ids above 2^53 cross the REST API as strings (a browser would round a number) and the OpenAPI document says so. */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class IdsAsStringsTest {

    private static final long TWO_POW_53 = 1L << 53;

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    @Test
    void aSnowflakeIdRoundTripsAsAStringThroughRest() throws Exception {
        CatalogueFixtures fx = new CatalogueFixtures(ds, listing, catalog);
        long shop = CatalogueFixtures.newShopId() + TWO_POW_53;
        long item = fx.publish(fx.approved(SampleListings.HOTEL, shop, 1)).get(0);
        assertTrue(item > TWO_POW_53, "snowflake ids are above 2^53: " + item);
        String operator = Tokens.bearer("operator", 5);

        String body = given().header("Authorization", operator).get("/items/" + item).then().statusCode(200)
                .extract().asString();
        JsonNode json = new ObjectMapper().readTree(body);
        assertTrue(json.get("itemId").isTextual(), body);
        assertEquals(Long.toString(item), json.get("itemId").textValue());
        assertEquals(Long.toString(shop), json.get("shopId").textValue());
        assertTrue(json.get("skus").get(0).get("skuId").isTextual(), body);
        assertTrue(json.get("version").isNumber(), "only ids change shape: " + body);

        // the id read back as text is accepted where a request carries ids, as a string or as a number
        for (Object id : List.of(json.get("itemId").textValue(), item)) {
            given().header("Authorization", operator).contentType("application/json")
                    .body(Map.of("itemIds", List.of(id), "targetStatus", "offline", "reason", "ids as " + id.getClass().getSimpleName()))
                    .post("/items/status").then().statusCode(200)
                    .body("results[0].itemId", org.hamcrest.Matchers.equalTo(Long.toString(item)));
        }
    }

    @Test
    void theOpenApiDocumentHasNoIntegerId() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        List<String> integerIds = OpenApiIds.integerIds(doc);
        assertTrue(integerIds.isEmpty(), "integer-typed ids in /q/openapi: " + integerIds);
        JsonNode itemId = doc.at("/components/schemas/ItemView/properties/itemId");
        assertEquals("string", itemId.path("type").asText(), itemId.toString());
        assertEquals("int64", itemId.path("format").asText(), itemId.toString());
    }
}
