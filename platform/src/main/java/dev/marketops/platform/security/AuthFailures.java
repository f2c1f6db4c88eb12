package dev.marketops.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The HTTP layer refuses unauthenticated and unauthorised requests before REST resources run
 * (deny by default: {@code quarkus.http.auth.permission.*} in the platform defaults); this
 * answers those refusals with the fleet's problem documents instead of empty bodies.
 */
@ApplicationScoped
public class AuthFailures {

    void install(@Observes Router router) {
        router.route().order(-1000).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Throwable f = ctx.failure();
        int status;
        String code;
        String detail;
        if (f instanceof AuthenticationFailedException || f instanceof UnauthorizedException
                || (f == null && ctx.statusCode() == 401)) {
            status = 401;
            code = "UNAUTHENTICATED";
            detail = f instanceof AuthenticationFailedException ? "the bearer token was not accepted (signature, issuer, audience or expiry)"
                    : "a valid bearer token is required";
        } else if (f instanceof ForbiddenException || (f == null && ctx.statusCode() == 403)) {
            status = 403;
            code = "FORBIDDEN";
            detail = "your role may not do this";
        } else {
            ctx.next();
            return;
        }
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        JsonObject body = new JsonObject()
                .put("type", "urn:marketops:problem:" + code.toLowerCase())
                .put("title", status == 401 ? "Unauthenticated" : "Forbidden")
                .put("status", status)
                .put("code", code)
                .put("detail", detail)
                .put("instance", ctx.request().path());
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json");
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(body.encode());
    }
}
