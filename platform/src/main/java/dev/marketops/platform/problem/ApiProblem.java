package dev.marketops.platform.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A business error that reaches the caller as an RFC 9457 problem document. {@code code} is
 * stable (clients switch on it); the detail is for people; extensions name the offending
 * row, field, value or state.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(int status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static ApiProblem badRequest(String code, String detail) {
        return new ApiProblem(400, code, "Bad request", detail);
    }

    public static ApiProblem invalidField(String field, String reason, Object value) {
        return new ApiProblem(400, "INVALID_FIELD", "Invalid field", field + ": " + reason)
                .with("field", field).with("reason", reason).with("value", value);
    }

    public static ApiProblem missingField(String field) {
        return new ApiProblem(400, "MISSING_FIELD", "Missing field", field + " is required").with("field", field);
    }

    public static ApiProblem notFound(String code, String detail) {
        return new ApiProblem(404, code, "Not found", detail);
    }

    public static ApiProblem conflict(String code, String detail) {
        return new ApiProblem(409, code, "Conflict", detail);
    }

    public static ApiProblem unavailable(String code, String detail) {
        return new ApiProblem(503, code, "Dependency unavailable", detail);
    }

    /** A dependency did not answer ({@link #unavailable}): the same request may succeed later. */
    public boolean isTransient() {
        return status == 503;
    }

    public ApiProblem with(String key, Object value) {
        extensions.put(key, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** A response header to send with the problem (Retry-After on 429). */
    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
