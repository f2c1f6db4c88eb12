package dev.marketops.listing.catalogue;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.testing.ConfigServiceTestResource;
import dev.marketops.platform.testing.SampleListings;
import dev.marketops.platform.testing.Tokens;
import dev.marketops.proto.catalog.AddTagsRequest;
import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.ItemRefs;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.proto.catalog.ItemSnapshot;
import dev.marketops.proto.catalog.RemoveTagsRequest;
import dev.marketops.proto.catalog.RestoreItemsRequest;
import dev.marketops.proto.catalog.RestoreTarget;
import dev.marketops.proto.listing.ListingCommandsGrpc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Item tags on config-service's tag table (main seed 4.6.2): AddTags / RemoveTags take only active
 * codes of the table, and item_tag (item, tag, the item's category) follows every change in its
 * transaction; the V9 migration turns the free-text tags items had into relations.
 */
@QuarkusTest
@QuarkusTestResource(ConfigServiceTestResource.class)
class ItemTagsTest {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing-self")
    ListingCommandsGrpc.ListingCommandsBlockingStub listing;
    @GrpcClient("catalog-self")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;
    @ConfigProperty(name = "marketops.test.config-url", defaultValue = "unset") // a test profile without the resource must still boot
    String configUrl;

    CatalogueFixtures fx;
    final String run = "it" + ThreadLocalRandom.current().nextInt(100_000_000);

    @BeforeEach
    void fixtures() {
        fx = new CatalogueFixtures(ds, listing, catalog);
    }

    private String tag(String name) {
        return CatalogueFixtures.tag(configUrl, run + "-" + name);
    }

    private void deactivate(String code) {
        given().baseUri(configUrl).header("Authorization", Tokens.bearer("admin", 1)).delete("/tags/" + code).then().statusCode(200);
    }

    private Map<Long, ItemSnapshot> published(long... categories) {
        long shop = CatalogueFixtures.newShopId();
        List<Map<String, Object>> l = new ArrayList<>();
        for (long c : categories) {
            l.add(CatalogueFixtures.listing(c, shop, null));
        }
        List<Long> items = fx.publish(fx.approved(l, null));
        Map<Long, ItemSnapshot> out = new java.util.HashMap<>();
        catalog.getItems(ItemRefs.newBuilder().addAllItemIds(items).build()).getItemsList().forEach(i -> out.put(i.getCategoryId(), i));
        return out;
    }

    private ItemSnapshot reread(ItemSnapshot s) {
        return catalog.getItems(ItemRefs.newBuilder().addItemIds(s.getItemId()).build()).getItems(0);
    }

    /** item_tag of an item: tag code -> "category_id/added_by". */
    private Map<String, String> relations(ItemSnapshot item) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tag_code, category_id, added_by FROM item_tag WHERE item_id = ?")) {
            ps.setLong(1, item.getItemId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2) + "/" + rs.getObject(3));
                }
            }
        }
        return out;
    }

    @Test
    void tagsAreAddedOnceAndTheRelationsCarryTheItemsCategory() throws Exception {
        // given two online items, one deleted item, and two tags of the tag table
        Map<Long, ItemSnapshot> items = published(SampleListings.OPV, SampleListings.DEAL, SampleListings.TOPUP);
        ItemSnapshot a = items.get(SampleListings.OPV), b = items.get(SampleListings.DEAL), gone = items.get(SampleListings.TOPUP);
        catalog.changeStatus(ChangeStatusRequest.newBuilder().addItemIds(gone.getItemId()).setTargetStatus("deleted")
                .setOperatorType("operator").build());
        String hot = tag("hot"), fresh = tag("new"), sale = tag("sale");

        // when both tags are added (one twice) by operator 55
        AddTagsRequest add = AddTagsRequest.newBuilder().addItemIds(a.getItemId()).addItemIds(b.getItemId())
                .addItemIds(gone.getItemId()).addTags(hot).addTags(fresh).addTags(hot).setOperatorId(55).build();
        ItemResults r = catalog.addTags(add);

        // then the live items carry each once, with a relation in the item's category; the deleted one is refused
        assertEquals(2, r.getSucceeded(), r.toString());
        assertEquals("ILLEGAL_STATUS", r.getResults(2).getErrorCode());
        assertEquals(List.of(hot, fresh), reread(a).getTagsList());
        assertEquals(Map.of(hot, SampleListings.OPV + "/55", fresh, SampleListings.OPV + "/55"), relations(a));
        assertEquals(Map.of(hot, SampleListings.DEAL + "/55", fresh, SampleListings.DEAL + "/55"), relations(b));
        assertEquals(Map.of(), relations(gone));
        long version = reread(a).getVersion();
        assertEquals(a.getVersion() + 1, version);

        // adding them again changes nothing; a dry run changes nothing either
        assertTrue(catalog.addTags(add).getResults(0).getOk());
        assertEquals(version, reread(a).getVersion(), "tags already there: nothing changes");
        ItemResults dry = catalog.addTags(AddTagsRequest.newBuilder().addItemIds(a.getItemId()).addTags(sale).setDryRun(true).build());
        assertTrue(dry.getResults(0).getAfterJson().contains(sale), dry.toString());
        assertEquals(List.of(hot, fresh), reread(a).getTagsList());
        assertEquals(2, relations(a).size());

        // a later tag is appended after the others; the earlier relations keep who added them
        catalog.addTags(AddTagsRequest.newBuilder().addItemIds(a.getItemId()).addTags(sale).addTags(fresh).setOperatorId(66).build());
        assertEquals(List.of(hot, fresh, sale), reread(a).getTagsList());
        assertEquals(Map.of(hot, SampleListings.OPV + "/55", fresh, SampleListings.OPV + "/55", sale, SampleListings.OPV + "/66"),
                relations(a));
    }

    @Test
    void tagsAreRemovedWithTheirRelationsUnknownTagsAreRefusedPerItemAndRetiredOnesCanOnlyBeRemoved() throws Exception {
        // given an item tagged with three tags of the tag table
        ItemSnapshot item = published(SampleListings.OPV).get(SampleListings.OPV);
        String hot = tag("hot"), fresh = tag("new"), sale = tag("sale");
        ItemResults tagged = catalog.addTags(AddTagsRequest.newBuilder().addItemIds(item.getItemId()).addTags(hot).addTags(fresh)
                .addTags(sale).build());
        assertEquals(1, tagged.getSucceeded(), tagged.toString());
        long version = reread(item).getVersion();

        // when a dry run removes two, then it shows the list after and nothing changes
        RemoveTagsRequest.Builder remove = RemoveTagsRequest.newBuilder().addItemIds(item.getItemId()).addTags(hot).addTags(sale)
                .setOperatorId(55);
        ItemResults dry = catalog.removeTags(remove.clone().setDryRun(true).build());
        assertEquals("{\"tags\":[\"" + fresh + "\"]}", dry.getResults(0).getAfterJson(), dry.toString());
        assertEquals(3, relations(item).size());
        assertEquals(version, reread(item).getVersion());

        // when they are removed, then the item keeps the third, with its relation only, one version on
        ItemResults r = catalog.removeTags(remove.build());
        assertTrue(r.getResults(0).getOk(), r.toString());
        assertEquals("{\"tags\":[\"" + hot + "\",\"" + fresh + "\",\"" + sale + "\"]}", r.getResults(0).getBeforeJson());
        assertEquals(List.of(fresh), reread(item).getTagsList());
        assertEquals(List.of(fresh), List.copyOf(relations(item).keySet()));
        assertEquals(version + 1, reread(item).getVersion());
        // removing tags the item does not carry answers ok and changes nothing
        assertTrue(catalog.removeTags(remove.build()).getResults(0).getOk());
        assertEquals(version + 1, reread(item).getVersion());

        // a restore that puts tags back brings their relations back, in the restore's transaction
        ItemResults restored = catalog.restoreItems(RestoreItemsRequest.newBuilder().setOperatorId(77).addTargets(RestoreTarget
                .newBuilder().setItemId(item.getItemId()).setValuesJson("{\"tags\": [\"" + hot + "\", \"" + fresh + "\"]}")).build());
        assertTrue(restored.getResults(0).getOk(), restored.toString());
        assertEquals(List.of(hot, fresh), reread(item).getTagsList());
        assertEquals(java.util.Set.of(hot, fresh), relations(item).keySet());
        catalog.removeTags(RemoveTagsRequest.newBuilder().addItemIds(item.getItemId()).addTags(hot).build());
        assertEquals(List.of(fresh), List.copyOf(relations(item).keySet()));

        // a code the tag table does not have is refused for each item, naming the field, when added or removed;
        // a deactivated one is refused when added, and can still be taken off the items that carry it
        String retired = tag("retired");
        assertEquals(1, catalog.addTags(AddTagsRequest.newBuilder().addItemIds(item.getItemId()).addTags(retired).build())
                .getSucceeded());
        deactivate(retired);
        String nowhere = run + "-nowhere", gone = tag("gone");
        deactivate(gone); // never used while active: the catalogue's copy of the table learns it as inactive
        List<ItemResults> refusals = List.of(
                catalog.addTags(AddTagsRequest.newBuilder().addItemIds(item.getItemId()).addItemIds(-1).addTags(fresh).addTags(nowhere).build()),
                catalog.removeTags(RemoveTagsRequest.newBuilder().addItemIds(item.getItemId()).addTags(nowhere).build()),
                catalog.addTags(AddTagsRequest.newBuilder().addItemIds(item.getItemId()).addItemIds(-1).addTags(fresh).addTags(gone).build()));
        for (int k = 0; k < refusals.size(); k++) {
            ItemResults refused = refusals.get(k);
            String bad = k < 2 ? nowhere : gone;
            assertEquals(0, refused.getSucceeded(), refused.toString());
            assertEquals(k < 2 ? "UNKNOWN_TAG" : "TAG_INACTIVE", refused.getResults(0).getErrorCode());
            assertEquals("tags", refused.getResults(0).getErrorField());
            assertTrue(refused.getResults(0).getErrorMessage().contains(bad), refused.getResults(0).getErrorMessage());
        }
        assertEquals(1, refusals.get(0).getResults(1).getIndex());
        assertEquals(List.of(fresh, retired), reread(item).getTagsList());
        ItemResults untagged = catalog.removeTags(RemoveTagsRequest.newBuilder().addItemIds(item.getItemId()).addTags(retired).build());
        assertTrue(untagged.getResults(0).getOk(), untagged.toString());
        assertEquals(List.of(fresh), List.copyOf(relations(item).keySet()));
        assertEquals(List.of(fresh), reread(item).getTagsList());
    }

    @Test
    void theMigrationTurnsFreeTextTagsIntoRelations() throws Exception {
        // given an item as it was before item_tag: free-text tags and no relations
        ItemSnapshot item = published(SampleListings.DEAL).get(SampleListings.DEAL);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE item SET tags = ARRAY['legacy one', 'legacy two'] WHERE item_id = ?")) {
            ps.setLong(1, item.getItemId());
            ps.executeUpdate();
        }
        assertEquals(Map.of(), relations(item));

        // when the migration's backfill statement runs (again: it keeps the relations that are there)
        String migration;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/V9__item_tag.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher backfill = Pattern.compile("INSERT INTO item_tag[^;]*;").matcher(migration);
        assertTrue(backfill.find(), "the migration fills item_tag");
        try (Connection c = ds.getConnection()) {
            c.createStatement().executeUpdate(backfill.group());
        }

        // then each free-text tag is a relation in the item's category, with nobody named as adding it
        assertEquals(Map.of("legacy one", SampleListings.DEAL + "/null", "legacy two", SampleListings.DEAL + "/null"), relations(item));
    }
}
