package dev.marketops.platform.limits;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A REST method whose calls draw from a token bucket per caller and per merchant (shared by
 * every replica through Redis). Bucket sizes: {@code marketops.rate-limit.<bucket>.capacity} and
 * {@code .per-second}; over the limit the caller gets 429 with Retry-After.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimited {
    /** The bucket: "create", "upload", "push", ... */
    String value();
}
