package dev.marketops.supplier.push;

import dev.marketops.platform.grpc.GrpcProblems;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.ActorPropagation;
import dev.marketops.platform.security.Roles;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Supplier systems call this service's gRPC with their own token (role {@code supplier}, claim
 * {@code supplier_code}): the platform's interceptor lets role supplier through here
 * ({@code marketops.grpc.allowed-roles}), this one (after it) confines such a caller to
 * SupplierGateway.PushUpdates and puts the verified supplier in the call's context. The x-actor
 * metadata a supplier sends is not believed: its actor is the token's.
 */
@GlobalInterceptor
@ApplicationScoped
@Priority(50)
public class SupplierCallers implements ServerInterceptor {

    /** The verified supplier calling, or null for a platform service. */
    public static final Context.Key<SupplierCaller> SUPPLIER = Context.key("marketops-supplier");
    static final Set<String> SUPPLIER_METHODS = Set.of("marketops.services.v1.SupplierGateway/PushUpdates");
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    public record SupplierCaller(String code, long userId) {
    }

    private record Seen(SupplierCaller caller, boolean service, long expiresAt) {
    }

    @Inject
    JWTParser parser;

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String service = call.getMethodDescriptor().getServiceName();
        if (service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
            return next.startCall(call, headers);
        }
        String auth = headers.get(AUTHORIZATION);
        if (auth == null || auth.length() < 8) {
            return refuse(call, Status.UNAUTHENTICATED, "UNAUTHENTICATED", "a token is required");
        }
        String token = auth.substring(7).trim();
        Seen s = seen.get(token);
        if (s == null || s.expiresAt() < System.currentTimeMillis()) {
            JsonWebToken jwt;
            try {
                jwt = parser.parse(token);
            } catch (ParseException e) {
                return refuse(call, Status.UNAUTHENTICATED, "UNAUTHENTICATED", "the token was not accepted");
            }
            Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
            boolean isService = groups.contains(Roles.SERVICE);
            SupplierCaller caller = null;
            if (!isService && groups.contains(Roles.SUPPLIER)) {
                Object code = jwt.getClaim("supplier_code");
                String c = code == null ? null : code instanceof jakarta.json.JsonString js ? js.getString() : code.toString();
                if (c == null || c.isBlank()) {
                    return refuse(call, Status.PERMISSION_DENIED, "NO_SUPPLIER_CODE", "a supplier token must carry the supplier_code claim");
                }
                Object uid = jwt.getClaim("uid");
                long userId;
                try {
                    userId = uid == null ? 0 : Long.parseLong((uid instanceof jakarta.json.JsonString js ? js.getString() : uid.toString())
                            .replace("\"", "").trim());
                } catch (NumberFormatException e) {
                    userId = 0;
                }
                caller = new SupplierCaller(c.replace("\"", ""), userId);
            }
            if (seen.size() > 10_000) {
                seen.clear();
            }
            s = new Seen(caller, isService, jwt.getExpirationTime() * 1000);
            seen.put(token, s);
        }
        if (s.caller() == null) {
            return next.startCall(call, headers); // a platform service (the platform interceptor checked the role)
        }
        if (!SUPPLIER_METHODS.contains(call.getMethodDescriptor().getFullMethodName())) {
            return refuse(call, Status.PERMISSION_DENIED, "FORBIDDEN", "a supplier system may call only SupplierGateway.PushUpdates");
        }
        Actor actor = new Actor(s.caller().userId(), Roles.SUPPLIER, Set.of(Roles.SUPPLIER), null, null, "supplier:" + s.caller().code());
        Context ctx = Context.current().withValue(SUPPLIER, s.caller()).withValue(ActorPropagation.ACTOR, actor);
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, String code, String detail) {
        Metadata trailers = new Metadata();
        trailers.put(GrpcProblems.PROBLEM_CODE, code);
        call.close(status.withDescription(detail), trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
