package dev.marketops.platform.grpc;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.problem.DatabaseOutage;
import io.grpc.Metadata;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a gRPC method body and turns an {@link ApiProblem} into the matching gRPC status, with
 * the problem's stable code in the {@code problem-code} trailer, so gRPC callers get the same
 * errors as REST callers.
 */
public final class GrpcProblems {

    private static final Logger LOG = Logger.getLogger(GrpcProblems.class);
    public static final Metadata.Key<String> PROBLEM_CODE = Metadata.Key.of("problem-code", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcProblems() {
    }

    /**
     * {@link #call} for a read, in its own transaction (or the caller's): its Hibernate session belongs
     * to that transaction and not to the gRPC call's request context. Concurrent first calls to a freshly
     * started service found the request-scoped session already closed ("Session/EntityManager is closed",
     * the race of quarkusio/quarkus#14820), which callers saw as UNKNOWN.
     */
    public static <T> Uni<T> read(Supplier<T> body) {
        return call(() -> io.quarkus.narayana.jta.QuarkusTransaction.joiningExisting().call(body::get));
    }

    public static <T> Uni<T> call(Supplier<T> body) {
        try {
            return Uni.createFrom().item(body.get());
        } catch (ApiProblem p) {
            Metadata trailers = new Metadata();
            trailers.put(PROBLEM_CODE, p.code());
            return Uni.createFrom().failure(statusOf(p.status()).withDescription(p.getMessage()).asRuntimeException(trailers));
        } catch (RuntimeException e) {
            java.util.Optional<String> outage = DatabaseOutage.of(e);
            if (outage.isPresent()) { // the caller waits it out and asks again (every call here is idempotent)
                LOG.warnf("gRPC call answered UNAVAILABLE: the database is unavailable (%s)", outage.get());
                Metadata trailers = new Metadata();
                trailers.put(PROBLEM_CODE, DatabaseOutage.CODE);
                return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("database unavailable").asRuntimeException(trailers));
            }
            LOG.error("unhandled error in gRPC call", e);
            return Uni.createFrom().failure(Status.INTERNAL.withDescription("unexpected error; it has been logged").asRuntimeException());
        }
    }

    static Status statusOf(int http) {
        return switch (http) {
            case 400, 422 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.ABORTED;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
    }
}
