package dev.marketops.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every exception a REST resource lets escape into a problem document with a stable code. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    MeterRegistry meters;

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem p, UriInfo uri) {
        Response r = build(p.status(), p.code(), p.title(), p.getMessage(), uri, p.extensions());
        p.headers().forEach((k, v) -> r.getHeaders().add(k, v));
        return r;
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("field", field);
        if (e instanceof InvalidFormatException ife) {
            ext.put("value", String.valueOf(ife.getValue()));
        }
        String expected = e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
        return build(400, "INVALID_FIELD_TYPE", "Invalid field type",
                "field '" + field + "' must be " + expected, uri, ext);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        Map<String, Object> ext = new LinkedHashMap<>();
        if (e.getLocation() != null) {
            ext.put("line", e.getLocation().getLineNr());
            ext.put("column", e.getLocation().getColumnNr());
        }
        return build(400, "MALFORMED_JSON", "Malformed JSON", e.getOriginalMessage(), uri, ext);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return jpe instanceof MismatchedInputException mie ? mismatched(mie, uri) : malformedJson(jpe, uri);
        }
        String code = switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "HTTP_" + status;
        };
        return build(status, code, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), uri, Map.of());
    }

    @ServerExceptionMapper
    public Response unauthenticated(io.quarkus.security.UnauthorizedException e, UriInfo uri) {
        return build(401, "UNAUTHENTICATED", "Unauthenticated", "a valid bearer token is required", uri, Map.of());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(io.quarkus.security.AuthenticationFailedException e, UriInfo uri) {
        return build(401, "UNAUTHENTICATED", "Unauthenticated", "the bearer token was not accepted", uri, Map.of());
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return build(403, "FORBIDDEN", "Forbidden", "your role may not do this", uri, Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        java.util.Optional<String> outage = DatabaseOutage.of(e);
        if (outage.isPresent()) {
            LOG.warnf("%s answered 503: the database is unavailable (%s)", uri.getPath(), outage.get());
            Response r = build(503, DatabaseOutage.CODE, "Service unavailable", "the database is unavailable; try again shortly", uri, Map.of());
            r.getHeaders().add("Retry-After", "5");
            return r;
        }
        LOG.errorf(e, "unhandled error on %s", uri.getPath());
        meters.counter("marketops_unhandled_errors_total", "exception", e.getClass().getSimpleName()).increment();
        return build(500, "INTERNAL_ERROR", "Internal error",
                "an unexpected error occurred; it has been logged", uri, Map.of());
    }

    static Response build(int status, String code, String title, String detail, UriInfo uri, Map<String, Object> ext) {
        ProblemDetail body = new ProblemDetail("urn:marketops:problem:" + code.toLowerCase().replace('_', '-'),
                title, status, code, detail, uri == null ? null : uri.getPath(), ext);
        return Response.status(status).type(ProblemDetail.MEDIA_TYPE).entity(body).build();
    }
}
