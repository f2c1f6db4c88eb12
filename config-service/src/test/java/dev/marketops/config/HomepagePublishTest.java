package dev.marketops.config;

import static dev.marketops.config.ConfigFixtures.admin;
import static dev.marketops.config.ConfigFixtures.as;
import static dev.marketops.config.ConfigFixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.platform.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Homepage groups (main seed 4.6.1): draft -> publish -> rollback, scheduled publish, and what
 * ConfigPublishWorker distributes: every one of the N Redis copies and the static file hold the
 * live version, and the storefront's reader sees it.
 */
@QuarkusTest
class HomepagePublishTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "marketops.homepage.copies")
    int copies;
    @ConfigProperty(name = "marketops.homepage.static-dir")
    String staticDir;
    @ConfigProperty(name = "marketops.homepage.redis-prefix")
    String prefix;

    private static Map<String, Object> entrance(String code, String name, String... categories) {
        return Map.of("code", code, "name", name, "sortOrder", 1, "categoryIds", List.of(categories),
                "carriers", List.of(), "tags", List.of("HOT"));
    }

    private static long createGroup() {
        return Long.parseLong(admin().contentType("application/json")
                .body(Map.of("code", unique("HOME"), "name", "Homepage", "region", "SG", "platform", "app", "environment", "test"))
                .post("/homepage/groups").then().statusCode(201)
                .body("liveVersion", equalTo(0)).body("draftVersion", equalTo(0))
                .extract().jsonPath().getString("groupId"));
    }

    private static long saveDraft(long group, List<Map<String, Object>> entrances) {
        long version = admin().get("/homepage/groups/" + group).then().extract().jsonPath().getLong("draftVersion");
        return admin().contentType("application/json").body(Map.of("version", version, "entrances", entrances))
                .put("/homepage/groups/" + group + "/draft").then().statusCode(200)
                .extract().jsonPath().getLong("draftVersion");
    }

    private static ExtractableResponse<Response> publish(long group, long draftVersion) {
        return admin().contentType("application/json").body(Map.of("draftVersion", draftVersion))
                .post("/homepage/groups/" + group + "/publish").then().statusCode(201).extract();
    }

    private static io.restassured.response.Response read(long group, long userId) {
        return given().header("Authorization", "Bearer " + Tokens.serviceToken())
                .get("/storefront/homepage/" + group + "?userId=" + userId);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + WAIT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private int versionIn(String document) {
        try {
            return document == null ? -1 : json.readTree(document).path("version").asInt();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The versions the N Redis copies hold (-1 for a missing copy). */
    private List<Integer> redisVersions(long group) {
        String[] keys = new String[copies];
        for (int i = 0; i < copies; i++) {
            keys[i] = prefix + group + ":" + i;
        }
        List<Integer> out = new ArrayList<>();
        redis.value(String.class).mget(keys).values().forEach(v -> out.add(versionIn(v)));
        for (int i = out.size(); i < copies; i++) {
            out.add(-1);
        }
        return out;
    }

    private int fileVersion(long group, String name) {
        Path f = Path.of(staticDir, "homepage", Long.toString(group), name);
        try {
            return Files.exists(f) ? versionIn(Files.readString(f)) : -1;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every copy and the file hold the version, and readers (several users, so several copies) get it. */
    private void awaitLiveEverywhere(long group, int version) {
        await("all " + copies + " Redis copies at version " + version,
                () -> redisVersions(group).stream().allMatch(v -> v == version));
        await("the static files at version " + version,
                () -> fileVersion(group, "current.json") == version && fileVersion(group, "v" + version + ".json") == version);
        for (long user : new long[]{0, 1, 42, 12_345_678_901L}) {
            await("user " + user + " reads version " + version,
                    () -> String.valueOf(version).equals(read(group, user).header("X-Homepage-Version")));
        }
    }

    @Test
    void aStorefrontGetsTheGroupTargetedAtItsRegionPlatformAndEnvironment() {
        String region = "R" + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000);
        long forAll = targetedGroup(region, "all", "prod");
        long forApp = targetedGroup(region, "app", "prod");
        long staging = targetedGroup(region, "h5", "staging");
        publish(forAll, saveDraft(forAll, List.of(entrance("ALL", "Everyone", "1200"))));
        publish(forApp, saveDraft(forApp, List.of(entrance("APP", "App only", "1300"))));
        publish(staging, saveDraft(staging, List.of(entrance("STAGING", "Staging", "1400"))));

        // the app gets its own group, the web (no group of its own) the one for all platforms, each environment its own
        await("the targeted groups are readable", () -> target(region, "app", "prod").statusCode() == 200
                && target(region, "web", "prod").statusCode() == 200 && target(region, "h5", "staging").statusCode() == 200);
        var app = target(region, "app", "prod");
        assertEquals(Long.toString(forApp), app.header("X-Homepage-Group"));
        assertEquals("APP", app.jsonPath().getString("entrances[0].code"));
        assertEquals(Long.toString(forAll), target(region, "web", "prod").header("X-Homepage-Group"));
        assertEquals("STAGING", target(region, "h5", "staging").jsonPath().getString("entrances[0].code"));
        target(region, "app", "test").then().statusCode(404).body("code", equalTo("HOMEPAGE_NOT_PUBLISHED"));
        target(region, "tv", "prod").then().statusCode(400).body("field", equalTo("platform"));
    }

    private static long targetedGroup(String region, String platform, String environment) {
        return Long.parseLong(admin().contentType("application/json")
                .body(Map.of("code", unique("HOME"), "name", "Homepage", "region", region, "platform", platform,
                        "environment", environment))
                .post("/homepage/groups").then().statusCode(201).extract().jsonPath().getString("groupId"));
    }

    private static io.restassured.response.Response target(String region, String platform, String environment) {
        return given().header("Authorization", "Bearer " + Tokens.serviceToken()).queryParam("region", region)
                .queryParam("platform", platform).queryParam("environment", environment).queryParam("userId", 3)
                .get("/storefront/homepage");
    }

    @Test
    void publishThenPublishAgainThenRollBack() throws Exception {
        long group = createGroup();

        // given a draft with two entrances, when it is published
        long draft = saveDraft(group, List.of(entrance("FOOD", "Food", "1100"), entrance("HOTEL", "Hotels", "2100")));
        var v1 = publish(group, draft);

        // then it is version 1, by the admin, with both entrances added
        assertEquals(1, v1.jsonPath().getInt("versionNo"));
        assertEquals("1", v1.jsonPath().getString("publishedBy"));
        assertEquals(List.of("FOOD", "HOTEL"), v1.jsonPath().getList("diff.added"));
        awaitLiveEverywhere(group, 1);
        assertEquals(Long.toString(group), json.readTree(read(group, 7).asString()).path("groupId").asText());

        // when the draft changes and is published again, then version 2 says what changed
        draft = saveDraft(group, List.of(entrance("FOOD", "Food & drink", "1100", "1101"), entrance("TOPUP", "Top-up", "4100")));
        var v2 = publish(group, draft);
        assertEquals(2, v2.jsonPath().getInt("versionNo"));
        assertEquals(List.of("TOPUP"), v2.jsonPath().getList("diff.added"));
        assertEquals(List.of("HOTEL"), v2.jsonPath().getList("diff.removed"));
        assertEquals(List.of("name", "categoryIds"), v2.jsonPath().getList("diff.changed[0].fields"));
        awaitLiveEverywhere(group, 2);

        // when it is rolled back to version 1, then version 3 carries version 1's entrances
        var v3 = admin().contentType("application/json").body(Map.of("toVersion", 1, "liveVersion", 2))
                .post("/homepage/groups/" + group + "/rollback").then().statusCode(201).extract();
        assertEquals(3, v3.jsonPath().getInt("versionNo"));
        assertEquals("rollback", v3.jsonPath().getString("action"));
        assertEquals(1, v3.jsonPath().getInt("sourceVersion"));
        awaitLiveEverywhere(group, 3);
        JsonNode live = json.readTree(read(group, 3).asString());
        assertEquals("FOOD", live.path("entrances").get(0).path("code").asText());
        assertEquals("HOTEL", live.path("entrances").get(1).path("code").asText());
        // the version files stay: a CDN may keep serving an older one it cached
        assertEquals(1, fileVersion(group, "v1.json"));

        // and every publish is in the history, newest first; a rollback against a stale live version is refused
        admin().get("/homepage/groups/" + group + "/versions").then().statusCode(200)
                .body("versionNo", equalTo(List.of(3, 2, 1))).body("action", equalTo(List.of("rollback", "publish", "publish")));
        admin().contentType("application/json").body(Map.of("toVersion", 1, "liveVersion", 2))
                .post("/homepage/groups/" + group + "/rollback").then().statusCode(409).body("code", equalTo("STALE_VERSION"));
    }

    @Test
    void aScheduledPublishGoesLiveAtItsTime() {
        long group = createGroup();
        long draft = saveDraft(group, List.of(entrance("SPRING", "Spring festival", "1200")));

        // when the publish is scheduled two seconds ahead, then nothing is live yet
        admin().contentType("application/json")
                .body(Map.of("draftVersion", draft, "publishAt", Instant.now().plusSeconds(2).toString()))
                .post("/homepage/groups/" + group + "/publish").then().statusCode(202).body("status", equalTo("pending"));
        read(group, 1).then().statusCode(404).body("code", equalTo("HOMEPAGE_NOT_PUBLISHED"));

        // then it goes live by itself and is distributed like any publish
        await("the scheduled publish", () -> admin().get("/homepage/groups/" + group).jsonPath().getInt("liveVersion") == 1);
        admin().get("/homepage/groups/" + group + "/schedules").then()
                .body("[0].status", equalTo("published")).body("[0].versionNo", equalTo(1));
        admin().get("/homepage/groups/" + group + "/versions/1").then().body("action", equalTo("scheduled_publish"));
        awaitLiveEverywhere(group, 1);
    }

    @Test
    void aCancelledScheduleNeverGoesLive() {
        long group = createGroup();
        long draft = saveDraft(group, List.of(entrance("LATER", "Later", "1200")));
        String schedule = admin().contentType("application/json")
                .body(Map.of("draftVersion", draft, "publishAt", Instant.now().plusSeconds(3600).toString()))
                .post("/homepage/groups/" + group + "/publish").then().statusCode(202).extract().jsonPath().getString("scheduleId");
        admin().delete("/homepage/groups/" + group + "/schedules/" + schedule).then().statusCode(204);
        admin().get("/homepage/groups/" + group + "/schedules").then().body("[0].status", equalTo("cancelled"));
    }

    @Test
    void whenRedisMissesTheReaderServesTheStaticFile() {
        long group = createGroup();
        publish(group, saveDraft(group, List.of(entrance("FILE", "From file", "1300"))));
        awaitLiveEverywhere(group, 1);

        // when every Redis copy is gone
        String[] keys = new String[copies];
        for (int i = 0; i < copies; i++) {
            keys[i] = prefix + group + ":" + i;
        }
        redis.key().del(keys);

        // then readers still get version 1, from the file once their in-process copy has expired
        await("a read from the file", () -> "file".equals(read(group, 5).header("X-Homepage-Source")));
        read(group, 5).then().statusCode(200).header("X-Homepage-Version", "1").body("entrances[0].code", equalTo("FILE"));
    }

    @Test
    void aDraftIsCheckedAndPublishingIsForAdmins() {
        long group = createGroup();
        admin().contentType("application/json")
                .body(Map.of("version", 0, "entrances", List.of(entrance("GOOD", "Good", "1100"), entrance("BAD", "Bad", "999999"))))
                .put("/homepage/groups/" + group + "/draft").then().statusCode(400)
                .body("code", equalTo("INVALID_HOMEPAGE")).body("field", equalTo("categoryIds")).body("row", equalTo(1));

        // an operator edits the draft but may not publish it
        as("operator", 5).contentType("application/json")
                .body(Map.of("version", 0, "entrances", List.of(entrance("GOOD", "Good", "1100"))))
                .put("/homepage/groups/" + group + "/draft").then().statusCode(200).body("updatedBy", equalTo("5"));
        as("operator", 5).contentType("application/json").body(Map.of("draftVersion", 1))
                .post("/homepage/groups/" + group + "/publish").then().statusCode(403);
        // a stale draft version is refused
        admin().contentType("application/json").body(Map.of("draftVersion", 0))
                .post("/homepage/groups/" + group + "/publish").then().statusCode(409).body("code", equalTo("STALE_VERSION"));
        // nobody reads without a token
        given().get("/storefront/homepage/" + group).then().statusCode(401);
        assertTrue(copies >= 2);
    }
}
