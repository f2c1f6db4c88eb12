package dev.marketops.platform.limits;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Caller;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/** Applies {@link RateLimited}: a bucket per user, and one per merchant shared by its users. */
@Provider
@RateLimited("")
@Priority(Priorities.USER)
public class RateLimitFilter implements ContainerRequestFilter {

    @Inject
    RateLimiter limiter;
    @Inject
    Caller caller;
    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        RateLimited rl = resource.getResourceMethod().getAnnotation(RateLimited.class);
        if (rl == null) {
            rl = resource.getResourceClass().getAnnotation(RateLimited.class);
        }
        if (rl == null) {
            return;
        }
        Actor a = caller.actor();
        long wait = limiter.acquire(rl.value(), "u" + a.userId());
        if (wait == 0 && a.merchantId() != null) {
            wait = limiter.acquire(rl.value() + "-merchant", "m" + a.merchantId());
        }
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999) / 1000);
            throw new ApiProblem(429, "RATE_LIMITED", "Too many requests",
                    "too many " + rl.value() + " requests; retry after " + seconds + " s")
                    .with("bucket", rl.value()).with("retryAfterSeconds", seconds).header("Retry-After", Long.toString(seconds));
        }
    }
}
