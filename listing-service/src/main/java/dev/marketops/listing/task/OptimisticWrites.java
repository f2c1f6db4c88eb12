package dev.marketops.listing.task;

import dev.marketops.platform.problem.ApiProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.OptimisticLockException;
import java.util.function.Supplier;
import org.hibernate.StaleObjectStateException;

/**
 * Runs a write in its own transaction and turns a lost optimistic-lock race (another writer
 * committed between our read and our write) into the same 409 STALE_VERSION a caller gets
 * for an outdated expected version.
 */
final class OptimisticWrites {

    private OptimisticWrites() {
    }

    static ListingTask run(long taskId, Supplier<ListingTask> write) {
        try {
            return QuarkusTransaction.requiringNew().call(write::get);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ApiProblem p) {
                    throw p;
                }
                if (t instanceof OptimisticLockException || t instanceof StaleObjectStateException) {
                    long current = QuarkusTransaction.requiringNew().call(() ->
                            ListingTask.<ListingTask>findByIdOptional(taskId).map(x -> x.version).orElse(-1L));
                    throw stale(taskId, null, current);
                }
            }
            throw e;
        }
    }

    static ApiProblem stale(long taskId, Long expected, long current) {
        ApiProblem p = ApiProblem.conflict("STALE_VERSION", "task " + taskId + " was changed by someone else; current version is " + current)
                .with("taskId", taskId).with("currentVersion", current);
        return expected == null ? p : p.with("expectedVersion", expected);
    }
}
