package dev.marketops.platform.security;

import io.grpc.Context;
import io.grpc.Metadata;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Carries the acting end user between services: in gRPC metadata on the wire (believed only after
 * the calling service's token has been verified), in the gRPC {@link Context} inside a callee,
 * and explicitly ({@link #callAs}) for work that runs later on a user's behalf (a batch chunk).
 */
public final class ActorPropagation {

    public static final Context.Key<Actor> ACTOR = Context.key("marketops-actor");

    static final Metadata.Key<String> USER = Metadata.Key.of("x-actor-user", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TYPE = Metadata.Key.of("x-actor-type", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> ROLES = Metadata.Key.of("x-actor-roles", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> MERCHANT = Metadata.Key.of("x-actor-merchant", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> IP = Metadata.Key.of("x-actor-ip", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AGENT = Metadata.Key.of("x-actor-agent", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> NAME = Metadata.Key.of("x-actor-name", Metadata.ASCII_STRING_MARSHALLER);

    private static final ThreadLocal<Actor> EXPLICIT = new ThreadLocal<>();

    private ActorPropagation() {
    }

    /** Runs work on behalf of an actor: every gRPC call it makes carries that actor. */
    public static <T> T callAs(Actor actor, Callable<T> work) throws Exception {
        Actor before = EXPLICIT.get();
        EXPLICIT.set(actor);
        try {
            return Context.current().withValue(ACTOR, actor).call(work);
        } finally {
            if (before == null) {
                EXPLICIT.remove();
            } else {
                EXPLICIT.set(before);
            }
        }
    }

    /**
     * The actor of the current work: the one set by {@link #callAs}, else the one a gRPC caller
     * sent, else the REST caller of the current request; null when none (a service acting alone).
     */
    public static Actor current() {
        Actor a = EXPLICIT.get();
        if (a != null) {
            return a;
        }
        a = ACTOR.get();
        if (a != null) {
            return a;
        }
        ManagedContext rc = Arc.container() == null ? null : Arc.container().requestContext();
        if (rc != null && rc.isActive()) {
            try {
                return Arc.container().instance(Caller.class).get().actor();
            } catch (RuntimeException anonymous) {
                return null;
            }
        }
        return null;
    }

    /** The actor a gRPC callee serves: the propagated one, else the calling service itself. */
    public static Actor currentOrSystem() {
        Actor a = current();
        return a == null ? Actor.SYSTEM : a;
    }

    static void write(Actor a, Metadata headers) {
        headers.put(USER, Long.toString(a.userId()));
        headers.put(TYPE, a.type());
        headers.put(ROLES, String.join(",", a.roles()));
        if (a.merchantId() != null) {
            headers.put(MERCHANT, Long.toString(a.merchantId()));
        }
        if (a.ip() != null) {
            headers.put(IP, a.ip());
        }
        if (a.userAgent() != null) {
            headers.put(AGENT, URLEncoder.encode(a.userAgent(), StandardCharsets.UTF_8));
        }
        if (a.name() != null) {
            headers.put(NAME, URLEncoder.encode(a.name(), StandardCharsets.UTF_8));
        }
    }

    static Actor read(Metadata headers) {
        String user = headers.get(USER);
        if (user == null) {
            return null;
        }
        Set<String> roles = new LinkedHashSet<>(Arrays.asList(String.valueOf(headers.get(ROLES)).split(",")));
        String agent = headers.get(AGENT);
        String name = headers.get(NAME);
        return new Actor(Long.parseLong(user), headers.get(TYPE), Set.copyOf(roles), Identities.optionalLong(headers.get(MERCHANT)),
                headers.get(IP), agent == null ? null : URLDecoder.decode(agent, StandardCharsets.UTF_8),
                name == null ? null : URLDecoder.decode(name, StandardCharsets.UTF_8));
    }
}
