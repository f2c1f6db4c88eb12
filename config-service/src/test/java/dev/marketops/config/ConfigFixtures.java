package dev.marketops.config;

import static io.restassured.RestAssured.given;

import dev.marketops.platform.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.restassured.specification.RequestSpecification;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Small builders and REST calls the scenarios share. The test database persists, so every code is unique. */
final class ConfigFixtures {

    private ConfigFixtures() {
    }

    /** The admin whose token the scenarios send: configuration changes are CONFIG_WRITE, admins only. */
    static final long ADMIN_ID = 1;

    /** A request as the admin. */
    static RequestSpecification admin() {
        return given().header("Authorization", Tokens.bearer("admin", ADMIN_ID));
    }

    /** A request as a user of {@code role} (merchants: their own shop). */
    static RequestSpecification as(String role, long userId) {
        return given().header("Authorization", Tokens.bearer(role, userId));
    }

    static String unique(String prefix) {
        return prefix + "_" + ThreadLocalRandom.current().nextInt(100_000_000);
    }

    /** Creates a category under the parent through the REST API and returns its id. */
    static long createCategory(String codePrefix, String name, long parentId) {
        return admin().contentType("application/json")
                .body(Map.of("code", unique(codePrefix), "name", name, "parentId", parentId))
                .post("/categories").then().statusCode(201)
                .extract().jsonPath().getLong("categoryId");
    }

    static AttributeBody attribute(String code) {
        return new AttributeBody(code);
    }

    /** An attribute request body; starts as an optional text attribute. */
    static final class AttributeBody {
        private final Map<String, Object> body = new LinkedHashMap<>();
        private final Map<String, Object> rule = new LinkedHashMap<>();

        private AttributeBody(String code) {
            body.put("code", code);
            body.put("name", code.replace('_', ' '));
            body.put("type", "text");
        }

        AttributeBody type(String type) {
            body.put("type", type);
            return this;
        }

        AttributeBody required() {
            body.put("required", true);
            return this;
        }

        AttributeBody values(String... values) {
            body.put("enumValues", Arrays.asList(values));
            return this;
        }

        AttributeBody rule(String key, Object value) {
            rule.put(key, value);
            return this;
        }

        AttributeBody with(String field, Object value) {
            body.put(field, value);
            return this;
        }

        Map<String, Object> build() {
            Map<String, Object> out = new HashMap<>(body);
            if (!rule.isEmpty()) {
                out.put("validationRule", rule);
            }
            return out;
        }
    }

    static ValidatableResponse postAttribute(long categoryId, AttributeBody attribute) {
        return admin().contentType("application/json").body(attribute.build())
                .post("/categories/" + categoryId + "/attributes").then();
    }

    static Map<String, Object> auditRow(long categoryId, String sourceType, String userType, String strategy) {
        Map<String, Object> row = new HashMap<>();
        row.put("categoryId", categoryId);
        row.put("sourceType", sourceType);
        row.put("sourceUserType", userType);
        row.put("auditStrategy", strategy);
        return row;
    }

    static ValidatableResponse postAuditRow(Map<String, Object> row) {
        return admin().contentType("application/json").body(row).post("/audit-configs").then();
    }

    static ValidatableResponse resolve(long categoryId, String sourceType, String userType) {
        var request = admin().queryParam("categoryId", categoryId).queryParam("sourceType", sourceType);
        if (userType != null) {
            request.queryParam("sourceUserType", userType);
        }
        return request.get("/audit-configs/resolve").then();
    }

    /** A config.publish row of the outbox, as committed. */
    record OutboxRow(String eventId, String key, String eventType, byte[] payload, boolean sent) {
    }

    /** The config.publish events keyed by the category, oldest first. */
    static List<OutboxRow> publishedFor(AgroalDataSource db, long categoryId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT event_id, msg_key, event_type, payload, sent_at IS NOT NULL FROM outbox_event "
                        + "WHERE topic = 'config.publish' AND msg_key = ? ORDER BY id")) {
            ps.setString(1, Long.toString(categoryId));
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBoolean(5)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
