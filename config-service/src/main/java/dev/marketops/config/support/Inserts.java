package dev.marketops.config.support;

import dev.marketops.platform.problem.ApiProblem;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.PersistenceException;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;

/** Inserts a row whose uniqueness was checked beforehand; a concurrent twin still ends as a 409, not a 500. */
public final class Inserts {

    private Inserts() {
    }

    public static void insertUnique(PanacheEntityBase entity, Supplier<ApiProblem> duplicate) {
        try {
            entity.persistAndFlush();
        } catch (PersistenceException e) {
            if (e instanceof ConstraintViolationException || e.getCause() instanceof ConstraintViolationException) {
                throw duplicate.get();
            }
            throw e;
        }
    }
}
