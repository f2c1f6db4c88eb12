package dev.marketops.config.category;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole category tree as one JSON document with an ETag, built once per change of the tree.
 * Every replica notices a change through one cheap aggregate (row count, sum of versions, last
 * update): every write bumps a version, so the aggregate moves with the tree. The document bytes
 * and their ETag are kept, so a conditional GET costs that one query.
 */
@ApplicationScoped
public class CategoryTreeDocument {

    public record Snapshot(String revision, String etag, byte[] body) {
    }

    private final AgroalDataSource dataSource;
    private final CategoryService categories;
    private final ObjectMapper json;
    private volatile Snapshot current;

    public CategoryTreeDocument(AgroalDataSource dataSource, CategoryService categories, ObjectMapper json) {
        this.dataSource = dataSource;
        this.categories = categories;
        this.json = json;
    }

    @Transactional
    public Snapshot current() {
        String revision = revision();
        Snapshot s = current;
        if (s != null && s.revision().equals(revision)) {
            return s;
        }
        s = build(revision);
        current = s;
        return s;
    }

    private String revision() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(version), 0), max(updated_at) FROM category")) {
            rs.next();
            return rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getString(3);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the category tree's revision", e);
        }
    }

    private Snapshot build(String revision) {
        List<Category> all = categories.list(true);
        Map<Long, Category> byId = all.stream().collect(Collectors.toMap(c -> c.id, Function.identity()));
        CategoryTree tree = categories.tree();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("categories", tree.nested(id -> fields(byId.get(id))));
        doc.put("count", all.size());
        try {
            byte[] body = json.writeValueAsBytes(doc);
            return new Snapshot(revision, "\"" + sha256(body).substring(0, 32) + "\"", body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> fields(Category c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("categoryId", Long.toString(c.id));
        m.put("categoryCode", c.code);
        m.put("categoryName", c.name);
        m.put("parentId", Long.toString(c.parentId));
        m.put("level", c.level);
        m.put("sortOrder", c.sortOrder);
        m.put("inventoryModel", c.inventoryModel);
        m.put("priceModel", c.priceModel);
        m.put("active", c.active);
        m.put("version", c.version);
        return m;
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }
}
