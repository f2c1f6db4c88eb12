package dev.marketops.platform.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Every gRPC call must carry a verified token of a platform service (role {@code service}):
 * otherwise UNAUTHENTICATED (no or bad token) or PERMISSION_DENIED (a person's or supplier's
 * token). The end user the calling service acts for arrives in metadata and is put in the
 * call's {@link Context} ({@link ActorPropagation#current()}). A verified token is remembered
 * until it expires, so a busy channel costs one signature check per token, not per call.
 */
@GlobalInterceptor
@ApplicationScoped
@Priority(100)
public class ServiceAuthServerInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger LOG = Logger.getLogger(ServiceAuthServerInterceptor.class);

    @Inject
    JWTParser parser;
    @ConfigProperty(name = "marketops.grpc.allowed-roles", defaultValue = "service")
    List<String> allowedRoles;

    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
            return next.startCall(call, headers);
        }
        String auth = headers.get(AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(call, Status.UNAUTHENTICATED, "UNAUTHENTICATED", "a service token is required");
        }
        String token = auth.substring(7).trim();
        Long expiry = verified.get(token);
        if (expiry == null || expiry < System.currentTimeMillis()) {
            JsonWebToken jwt;
            try {
                jwt = parser.parse(token);
            } catch (ParseException e) {
                LOG.debugf("gRPC %s: token refused: %s", call.getMethodDescriptor().getFullMethodName(), e.getMessage());
                return refuse(call, Status.UNAUTHENTICATED, "UNAUTHENTICATED", "the token was not accepted");
            }
            if (jwt.getGroups() == null || jwt.getGroups().stream().noneMatch(allowedRoles::contains)) {
                return refuse(call, Status.PERMISSION_DENIED, "FORBIDDEN", "only platform services may call "
                        + call.getMethodDescriptor().getFullMethodName());
            }
            if (verified.size() > 10_000) {
                verified.clear();
            }
            verified.put(token, jwt.getExpirationTime() * 1000);
        }
        Actor actor = ActorPropagation.read(headers);
        Context ctx = Context.current().withValue(ActorPropagation.ACTOR, actor == null ? Actor.SYSTEM : actor);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, String code, String detail) {
        Metadata trailers = new Metadata();
        trailers.put(dev.marketops.platform.grpc.GrpcProblems.PROBLEM_CODE, code);
        call.close(status.withDescription(detail), trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
