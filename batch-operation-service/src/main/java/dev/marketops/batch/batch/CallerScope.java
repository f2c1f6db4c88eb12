package dev.marketops.batch.batch;

import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Caller;
import dev.marketops.platform.security.Permission;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * What the batch endpoints need of the platform's {@link Caller}: who acts (from the token
 * only) and whether the caller sees every batch (BATCH_ALL) or only its own.
 */
@RequestScoped
public class CallerScope {

    @Inject
    Caller caller;

    public Caller caller() {
        return caller;
    }

    public Actor actor() {
        return caller.actor();
    }

    public long userId() {
        return caller.userId();
    }

    /** Admins (BATCH_ALL) see and cancel every caller's batches; everyone else only their own. */
    public boolean seesAll() {
        return caller.has(Permission.BATCH_ALL);
    }
}
