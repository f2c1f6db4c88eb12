package dev.marketops.platform.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** Gives Quarkus REST the {@link RestJson} mapper for request and response bodies (ids as strings). */
@Provider
public class RestObjectMapper implements ContextResolver<ObjectMapper> {

    private final ObjectMapper rest;

    @Inject
    public RestObjectMapper(RestJson json) {
        this.rest = json.mapper();
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return rest;
    }
}
