package dev.marketops.platform.security;

import dev.marketops.platform.problem.ApiProblem;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated caller of a REST request, from the verified token only: user id (claim
 * {@code uid}, else a numeric subject), role, merchant shop (claim {@code merchant_id}), client IP
 * (the gateway's X-Forwarded-For when the request comes through it) and user agent.
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;
    @Inject
    CurrentVertxRequest request;

    private Actor actor;

    public Actor actor() {
        if (actor == null) {
            actor = Identities.fromToken(jwt, clientIp(), header("User-Agent"));
        }
        return actor;
    }

    public long userId() {
        return actor().userId();
    }

    public String type() {
        return actor().type();
    }

    public Set<String> roles() {
        return actor().roles();
    }

    public boolean isMerchant() {
        return actor().isMerchant();
    }

    /** The merchant's own shop; null for staff. */
    public Long merchantShop() {
        return actor().isMerchant() ? actor().merchantId() : null;
    }

    public boolean has(Permission p) {
        return actor().has(p);
    }

    /**
     * A body field that names who acts may only repeat the token's value: a different value is a
     * 400 naming the field (never silently replaced, never trusted).
     */
    public void sameAsCaller(String field, Object bodyValue, Object tokenValue) {
        if (bodyValue != null && !Objects.equals(String.valueOf(bodyValue), String.valueOf(tokenValue))) {
            throw ApiProblem.badRequest("IDENTITY_MISMATCH", field + " comes from your login and may not name someone else")
                    .with("field", field).with("value", bodyValue);
        }
    }

    private String header(String name) {
        HttpServerRequest r = request == null || request.getCurrent() == null ? null : request.getCurrent().request();
        return r == null ? null : r.getHeader(name);
    }

    /**
     * X-Forwarded-For / X-Real-IP are believed only from a loopback peer (the local gateway); the
     * last X-Forwarded-For hop is the address the gateway saw, X-Real-IP the same when XFF is absent.
     */
    private String clientIp() {
        HttpServerRequest r = request == null || request.getCurrent() == null ? null : request.getCurrent().request();
        if (r == null || r.remoteAddress() == null) {
            return null;
        }
        String peer = r.remoteAddress().hostAddress();
        String forwarded = r.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank() && Identities.trustedProxy(peer)) {
            String[] hops = forwarded.split(",");
            return hops[hops.length - 1].trim();
        }
        String real = r.getHeader("X-Real-IP");
        if (real != null && !real.isBlank() && Identities.trustedProxy(peer)) {
            return real.trim();
        }
        return peer;
    }
}
