package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.as;
import static dev.marketops.config.ConfigFixtures.createCategory;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.proto.config.ConfigQueriesGrpc;
import dev.marketops.proto.config.GetCategoryRequest;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Category tree maintenance (main seed 4.5.1): move without cycles within three levels, order, switch off, one cached document. */
@QuarkusTest
class CategoryTreeApiTest {

    private static final long ENTERTAINMENT = 3000;

    @GrpcClient("config-self")
    ConfigQueriesGrpc.ConfigQueriesBlockingStub grpc;

    private static long version(long id) {
        return admin().get("/categories/" + id).then().statusCode(200).extract().jsonPath().getLong("version");
    }

    private static io.restassured.response.ValidatableResponse move(long id, long parentId) {
        return admin().contentType("application/json").body(Map.of("parentId", parentId, "version", version(id)))
                .post("/categories/" + id + "/move").then();
    }

    @Test
    void aMoveUnderItsOwnDescendantIsRefusedAsACycle() {
        // given a root with a child and a grandchild
        long root = createCategory("CYCLE_ROOT", "Cycle root", 0);
        long child = createCategory("CYCLE_CHILD", "Cycle child", root);
        long grandchild = createCategory("CYCLE_GRAND", "Cycle grandchild", child);

        // when the root is moved under its grandchild, then the move is refused and nothing changed
        move(root, grandchild).statusCode(400).body("code", equalTo("CATEGORY_CYCLE")).body("field", equalTo("parentId"));
        move(child, child).statusCode(400).body("code", equalTo("CATEGORY_CYCLE"));
        admin().get("/categories/" + root).then().body("parentId", equalTo("0")).body("level", equalTo(1));
    }

    @Test
    void aMoveBeyondThreeLevelsIsRefusedAndALegalMoveCarriesTheSubtree() {
        long a = createCategory("DEPTH_A", "Depth A", 0);
        long b = createCategory("DEPTH_B", "Depth B", a);
        long c = createCategory("DEPTH_C", "Depth C", b);
        long other = createCategory("DEPTH_OTHER", "Depth other", ENTERTAINMENT); // level 2

        // b has a child: under a level-2 category that child would sit at level 4
        move(b, other).statusCode(400).body("code", equalTo("CATEGORY_TOO_DEEP"));

        // c alone fits under other (level 3); b moved to the top takes c up with it
        move(c, other).statusCode(200).body("level", equalTo(3)).body("parentId", equalTo(String.valueOf(other)));
        move(c, b).statusCode(200);
        move(b, 0).statusCode(200).body("level", equalTo(1));
        admin().get("/categories/" + c).then().body("level", equalTo(2)).body("parentId", equalTo(String.valueOf(b)));
    }

    @Test
    void aStaleVersionIsRefused() {
        long a = createCategory("STALE_MOVE", "Stale move", 0);
        admin().contentType("application/json").body(Map.of("parentId", ENTERTAINMENT, "version", version(a) + 5))
                .post("/categories/" + a + "/move").then().statusCode(409).body("code", equalTo("STALE_VERSION"));
    }

    @Test
    void childrenAreReorderedAndTheListMustBeComplete() {
        long parent = createCategory("ORDER_PARENT", "Order parent", 0);
        long x = createCategory("ORDER_X", "X", parent);
        long y = createCategory("ORDER_Y", "Y", parent);
        long z = createCategory("ORDER_Z", "Z", parent);

        admin().contentType("application/json").body(Map.of("parentId", parent, "categoryIds", List.of(z, x)))
                .put("/categories/order").then().statusCode(400).body("field", equalTo("categoryIds"));
        List<Long> ids = admin().contentType("application/json")
                .body(Map.of("parentId", parent, "categoryIds", List.of(z, x, y)))
                .put("/categories/order").then().statusCode(200).extract().jsonPath().getList("categoryId", Long.class);
        assertEquals(List.of(z, x, y), ids);
        admin().get("/categories/" + z).then().body("sortOrder", equalTo(1));
    }

    @Test
    void theTreeIsOneDocumentWithAnETagThatChangesWithTheTree() {
        var first = as("merchant", 77).get("/categories/tree").then().statusCode(200).extract();
        String etag = first.header("ETag");
        assertTrue(etag != null && etag.startsWith("\""));
        JsonPath doc = first.jsonPath();
        assertEquals("1000", doc.getString("categories.find { it.categoryCode == 'LOCAL_LIFE' }.categoryId"));
        assertEquals("1101", doc.getString("categories.find { it.categoryCode == 'LOCAL_LIFE' }.children"
                + ".find { it.categoryCode == 'FOOD' }.children[0].categoryId"));

        // unchanged: 304 without a body
        as("merchant", 77).header("If-None-Match", etag).get("/categories/tree").then().statusCode(304);

        // a change to the tree gives a new document and ETag
        long added = createCategory("TREE_ETAG", "Tree ETag", ENTERTAINMENT);
        var second = as("merchant", 77).header("If-None-Match", etag).get("/categories/tree").then().statusCode(200).extract();
        assertNotEquals(etag, second.header("ETag"));
        assertEquals("Tree ETag", second.jsonPath().getString("categories.find { it.categoryId == '3000' }"
                + ".children.find { it.categoryId == '" + added + "' }.categoryName"));
    }

    @Test
    void aDisabledParentSwitchesOffItsChildrenForCallers() {
        long parent = createCategory("OFF_PARENT", "Off parent", 0);
        long child = createCategory("OFF_CHILD", "Off child", parent);
        admin().contentType("application/json").body(Map.of("version", version(parent), "active", false))
                .put("/categories/" + parent).then().statusCode(200).body("active", equalTo(false));

        // the child itself is active, but listing-service (which asks over gRPC) sees it switched off
        admin().get("/categories/" + child).then().body("active", equalTo(true));
        assertFalse(grpc.getCategory(GetCategoryRequest.newBuilder().setCategoryId(child).build()).getEnabled());
        assertTrue(grpc.getCategory(GetCategoryRequest.newBuilder().setCategoryId(1101).build()).getEnabled());
        String tree = as("operator", 5).get("/categories/tree").then().extract().asString();
        JsonPath doc = new JsonPath(tree);
        assertEquals(false, doc.getBoolean("categories.find { it.categoryId == '" + parent + "' }.children[0].enabled"));
    }

    @Test
    void aCodeThatIsNotUpperCaseIsAFieldErrorNotAServerError() {
        admin().contentType("application/json").body(Map.of("code", "lower_case", "name", "Lower", "parentId", ENTERTAINMENT))
                .post("/categories").then().statusCode(400).body("code", equalTo("INVALID_FIELD")).body("field", equalTo("code"));
    }

    @Test
    void onlyAdminsChangeTheTree() {
        long a = createCategory("PERM_MOVE", "Perm move", 0);
        as("operator", 5).contentType("application/json").body(Map.of("parentId", ENTERTAINMENT, "version", 0))
                .post("/categories/" + a + "/move").then().statusCode(403);
    }
}
