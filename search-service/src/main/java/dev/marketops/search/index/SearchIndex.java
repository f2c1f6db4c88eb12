package dev.marketops.search.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marketops.search.projection.ItemProjection;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.elasticsearch.client.Cancellable;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.jboss.logging.Logger;

/**
 * The search index of catalogue items behind the low-level REST client. Only requests that
 * OpenSearch and Elasticsearch both serve: explicit mapping, _bulk with external versions,
 * _mget, _search with search_after, terms aggregations.
 */
@ApplicationScoped
public class SearchIndex {

    private static final Logger LOG = Logger.getLogger(SearchIndex.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", "UTF-8");

    /** What one bulk request did: written, refused as older-or-equal (409), failed otherwise (by item id). */
    public record BulkOutcome(int written, List<Long> conflicts, Map<Long, String> failures) {
    }

    @Inject
    RestClient client;
    @Inject
    ObjectMapper json;
    @Inject
    CategoryPaths categoryPaths;

    @ConfigProperty(name = "marketops.search.index", defaultValue = "marketops-items")
    String index;
    @ConfigProperty(name = "marketops.search.index.refresh", defaultValue = "false")
    String refresh;

    private volatile boolean ready;

    public String name() {
        return index;
    }

    void onStart(@Observes StartupEvent ignored) {
        try {
            ensureIndex();
        } catch (RuntimeException e) {
            // The search engine may start after us; the first write tries again.
            LOG.warnf("search index %s not ready at start: %s", index, e.getMessage());
        }
    }

    /** Creates the index with its explicit mapping when it does not exist. */
    public void ensureIndex() {
        if (ready) {
            return;
        }
        try {
            int status = client.performRequest(new Request("HEAD", "/" + index)).getStatusLine().getStatusCode();
            if (status == 404) {
                Request create = new Request("PUT", "/" + index);
                create.setJsonEntity(IndexMapping.definition());
                try {
                    client.performRequest(create);
                    LOG.infof("created search index %s", index);
                } catch (ResponseException e) {
                    if (!body(e).contains("resource_already_exists_exception")) { // a replica won the race
                        throw e;
                    }
                }
            }
            ready = true;
        } catch (IOException e) {
            throw new UncheckedIOException("search index " + index + " unavailable", e);
        }
    }

    /**
     * Indexes the items in one bulk request with the item version as external version, so an
     * older snapshot never replaces a newer document (the engine answers 409, counted as a
     * conflict: the index already holds that version or a newer one). {@code allowEqualVersion}
     * (external_gte) lets a repair rewrite a document of the same version whose content drifted.
     */
    public BulkOutcome bulkIndex(List<ItemProjection> items, boolean allowEqualVersion) {
        if (items.isEmpty()) {
            return new BulkOutcome(0, List.of(), Map.of());
        }
        ensureIndex();
        StringBuilder body = new StringBuilder(items.size() * 600);
        Map<Long, List<Long>> paths = new HashMap<>();
        for (ItemProjection p : items) {
            List<Long> path = paths.computeIfAbsent(p.categoryId(), categoryPaths::pathOf);
            ObjectNode action = json.createObjectNode();
            action.putObject("index").put("_index", index).put("_id", Long.toString(p.itemId()))
                    .put("version", p.version()).put("version_type", allowEqualVersion ? "external_gte" : "external");
            body.append(action).append('\n').append(document(p, path)).append('\n');
        }
        JsonNode answer = bulk(body.toString());
        int written = 0;
        List<Long> conflicts = new ArrayList<>();
        Map<Long, String> failures = new HashMap<>();
        for (JsonNode item : answer.path("items")) {
            JsonNode r = item.path("index");
            long id = Long.parseLong(r.path("_id").asText());
            int status = r.path("status").asInt();
            if (status == 200 || status == 201) {
                written++;
            } else if (status == 409) {
                conflicts.add(id);
            } else {
                failures.put(id, status + " " + r.path("error").path("type").asText() + ": " + r.path("error").path("reason").asText());
            }
        }
        return new BulkOutcome(written, conflicts, failures);
    }

    /** Deletes documents of items the catalogue does not have (orphans). */
    public int bulkDelete(Collection<Long> itemIds) {
        if (itemIds.isEmpty()) {
            return 0;
        }
        ensureIndex();
        StringBuilder body = new StringBuilder();
        for (long id : itemIds) {
            ObjectNode action = json.createObjectNode();
            action.putObject("delete").put("_index", index).put("_id", Long.toString(id));
            body.append(action).append('\n');
        }
        int deleted = 0;
        for (JsonNode item : bulk(body.toString()).path("items")) {
            int status = item.path("delete").path("status").asInt();
            if (status == 200 || status == 404) {
                deleted++;
            }
        }
        return deleted;
    }

    /** The stored documents (with their _version) of these items, one _mget. */
    public Map<Long, JsonNode> get(Collection<Long> itemIds) {
        Map<Long, JsonNode> out = new HashMap<>();
        if (itemIds.isEmpty()) {
            return out;
        }
        ensureIndex();
        ObjectNode q = json.createObjectNode();
        ArrayNode ids = q.putArray("ids");
        itemIds.forEach(id -> ids.add(Long.toString(id)));
        JsonNode answer = perform("POST", "/" + index + "/_mget", q.toString());
        for (JsonNode d : answer.path("docs")) {
            if (d.path("found").asBoolean(false)) {
                ObjectNode src = (ObjectNode) d.path("_source");
                src.put("_version", d.path("_version").asLong());
                out.put(Long.parseLong(d.path("_id").asText()), src);
            }
        }
        return out;
    }

    /** Item ids in the index within (afterItemId, upToItemId] that are not among {@code known} (orphan candidates). */
    public List<Long> idsInRangeExcept(long afterItemId, long upToItemId, Collection<Long> known, int limit) {
        ensureIndex();
        ObjectNode q = json.createObjectNode();
        q.put("size", limit).put("_source", false);
        ObjectNode bool = q.putObject("query").putObject("bool");
        ObjectNode range = bool.putArray("filter").addObject().putObject("range").putObject("item_no");
        range.put("gt", afterItemId);
        if (upToItemId < Long.MAX_VALUE) {
            range.put("lte", upToItemId);
        }
        if (!known.isEmpty()) {
            ArrayNode ids = bool.putArray("must_not").addObject().putObject("ids").putArray("values");
            known.forEach(id -> ids.add(Long.toString(id)));
        }
        q.putArray("sort").addObject().put("item_no", "asc");
        List<Long> out = new ArrayList<>();
        for (JsonNode hit : search(q).path("hits").path("hits")) {
            out.add(Long.parseLong(hit.path("_id").asText()));
        }
        return out;
    }

    public JsonNode search(ObjectNode query) {
        ensureIndex();
        return perform("POST", "/" + index + "/_search", query.toString());
    }

    /**
     * {@link #search} without holding a thread while the engine works: the answer is parsed on the
     * client's I/O thread. Until the index is known to exist, the check runs on a worker first.
     */
    public Uni<JsonNode> searchLater(ObjectNode query) {
        if (!ready) {
            return Uni.createFrom().item(() -> search(query)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        String path = "/" + index + "/_search";
        Request r = request("POST", path, query.toString());
        return Uni.createFrom().emitter(emitter -> {
            Cancellable call = client.performRequestAsync(r, new ResponseListener() {
                @Override
                public void onSuccess(Response response) {
                    try {
                        emitter.complete(json.readTree(response.getEntity().getContent()));
                    } catch (IOException | RuntimeException e) {
                        emitter.fail(failure("POST", path, e));
                    }
                }

                @Override
                public void onFailure(Exception e) {
                    emitter.fail(failure("POST", path, e));
                }
            });
            emitter.onTermination(call::cancel);
        });
    }

    /** Makes the latest writes visible to search now (tests, and a repair's report). */
    public void refresh() {
        ensureIndex();
        perform("POST", "/" + index + "/_refresh", null);
    }

    /** The document of one item; the category path comes with it so that a subtree is one term filter. */
    public ObjectNode document(ItemProjection p, List<Long> categoryPath) {
        ObjectNode d = json.createObjectNode();
        d.put("item_id", Long.toString(p.itemId()));
        d.put("item_no", p.itemId());
        d.put("category_id", Long.toString(p.categoryId()));
        ArrayNode path = d.putArray("category_path");
        categoryPath.forEach(path::add);
        d.put("shop_id", Long.toString(p.shopId()));
        d.put("status", p.status());
        d.put("source_type", p.sourceType());
        ArrayNode tags = d.putArray("tags");
        p.tags().forEach(tags::add);
        d.put("title", p.title());
        d.put("attributes_text", AttributeText.of(json, p.attributesJson()));
        d.put("price", BigDecimal.valueOf(p.priceCents(), 2));
        d.put("price_cents", p.priceCents());
        d.put("face_value", BigDecimal.valueOf(p.faceValueCents(), 2));
        d.put("stock", p.stock());
        d.put("version", p.version());
        d.put("created_at", p.createdAt());
        d.put("updated_at", p.updatedAt());
        if (p.firstOnlineAt() > 0) {
            d.put("first_online_at", p.firstOnlineAt());
        }
        d.set("skus", json.valueToTree(p.skus()));
        return d;
    }

    private JsonNode bulk(String ndjson) {
        Request r = new Request("POST", "/_bulk");
        if (!"false".equals(refresh)) {
            r.addParameter("refresh", refresh);
        }
        r.setEntity(new NStringEntity(ndjson, NDJSON));
        try {
            return json.readTree(client.performRequest(r).getEntity().getContent());
        } catch (IOException e) {
            throw new UncheckedIOException("bulk request to " + index + " failed", e);
        }
    }

    private JsonNode perform(String method, String path, String body) {
        try {
            return json.readTree(client.performRequest(request(method, path, body)).getEntity().getContent());
        } catch (IOException e) {
            throw failure(method, path, e);
        }
    }

    private static Request request(String method, String path, String body) {
        Request r = new Request(method, path);
        if (body != null) {
            r.setJsonEntity(body);
        }
        return r;
    }

    /** The engine's refusal (its status and error body), or the request's failure to get an answer. */
    private static RuntimeException failure(String method, String path, Exception e) {
        if (e instanceof ResponseException re) {
            return new SearchEngineException(re.getResponse().getStatusLine().getStatusCode(), body(re), re);
        }
        return new UncheckedIOException(method + " " + path + " failed", e instanceof IOException io ? io : new IOException(e));
    }

    private static String body(ResponseException e) {
        try {
            return new String(e.getResponse().getEntity().getContent().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException ignored) {
            return e.getMessage();
        }
    }

    /** The engine refused a request (status and its error body). */
    public static class SearchEngineException extends RuntimeException {
        public final int status;

        SearchEngineException(int status, String body, Throwable cause) {
            super("search engine answered " + status + ": " + body, cause);
            this.status = status;
        }
    }
}
