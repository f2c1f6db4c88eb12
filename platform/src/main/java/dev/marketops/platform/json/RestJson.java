package dev.marketops.platform.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The ObjectMapper of every service's REST API: the application's mapper (with its Quarkus
 * configuration) plus {@link JsonIds}. A copy, so the injected ObjectMapper that services use for
 * their own storage (OpenSearch, Redis, JSON columns) keeps writing ids as numbers.
 * {@link RestObjectMapper} hands it to Quarkus REST; a resource that writes JSON itself
 * (a server-sent event stream, which Quarkus writes with the application mapper) uses {@link #write}.
 */
@ApplicationScoped
public class RestJson {

    private final ObjectMapper mapper;

    @Inject
    public RestJson(ObjectMapper application) {
        this.mapper = application.copy().registerModule(JsonIds.module());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** The value as the REST API writes it (ids as strings). */
    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
