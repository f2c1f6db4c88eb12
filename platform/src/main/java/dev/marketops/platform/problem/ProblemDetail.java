package dev.marketops.platform.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.marketops.platform.json.JsonIds;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/** The JSON body of every error: RFC 9457 fields plus a stable {@code code} and extensions. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(String type, String title, int status, String code, String detail, String instance,
                            @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * The extensions, ids as strings as everywhere in the API (an any-getter bypasses the REST
     * mapper's map rule); the offending {@code value} too when the {@code field} it belongs to is an id.
     */
    @JsonAnyGetter
    public Map<String, Object> any() {
        Map<String, Object> out = JsonIds.idsAsText(extensions);
        if (out != null && out.get("field") instanceof String f && JsonIds.isIdName(f.substring(f.lastIndexOf('.') + 1))
                && (out.get("value") instanceof Long || out.get("value") instanceof Integer)) {
            out = new java.util.LinkedHashMap<>(out);
            out.put("value", out.get("value").toString());
        }
        return out;
    }
}
