package dev.marketops.batch.batch;

import dev.marketops.platform.problem.Callers;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who calls and what they may see: operators and merchants their own batches, admins every batch. */
@RequestScoped
public class CallerScope {

    @Inject
    JsonWebToken jwt;

    public long userId() {
        return Callers.userId(jwt);
    }

    public boolean admin() {
        return jwt != null && jwt.getGroups() != null && jwt.getGroups().contains("admin");
    }
}
