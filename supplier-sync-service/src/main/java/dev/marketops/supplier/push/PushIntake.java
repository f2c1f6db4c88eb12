package dev.marketops.supplier.push;

import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.supplier.SupplierDirectory;
import dev.marketops.supplier.sync.Ack;
import dev.marketops.supplier.sync.Channel;
import dev.marketops.supplier.sync.Incoming;
import dev.marketops.supplier.sync.SyncApplier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** A page of pushed updates (gRPC or Kafka): checked against the registry, then applied. */
@ApplicationScoped
public class PushIntake {

    private static final Logger LOG = Logger.getLogger(PushIntake.class);

    @Inject
    SupplierDirectory directory;
    @Inject
    SyncApplier applier;

    public List<Ack> take(String supplierCode, long userId, Channel channel, List<Incoming> page) {
        return take(supplierCode, userId, channel, page, SyncApplier.Turn.NONE);
    }

    /** The same, in its turn among the pages of one stream applied side by side (SyncApplier.Turn). */
    public List<Ack> take(String supplierCode, long userId, Channel channel, List<Incoming> page, SyncApplier.Turn turn) {
        try {
            return checkedTake(supplierCode, userId, channel, page, turn);
        } finally {
            // a page refused as a whole (unknown supplier, listing-service away) writes nothing but keeps the order
            try {
                turn.await();
            } catch (SyncApplier.PageNotApplied e) {
                LOG.debugf("the page before never finished: %s", e.getMessage());
            }
            turn.passed();
        }
    }

    private List<Ack> checkedTake(String supplierCode, long userId, Channel channel, List<Incoming> page, SyncApplier.Turn turn) {
        Optional<Supplier> found = directory.find(supplierCode);
        if (found.isEmpty()) {
            return all(page, "UNKNOWN_SUPPLIER", "no supplier " + supplierCode + " is registered");
        }
        Supplier s = found.get();
        if (!s.enabled) {
            return all(page, "SUPPLIER_DISABLED", "supplier " + s.code + " is disabled");
        }
        if ("pull".equals(s.syncMode)) {
            return all(page, "PUSH_NOT_ENABLED", "supplier " + s.code + " is pulled, not pushed (syncMode pull)");
        }
        try {
            return applier.apply(s, channel, userId, page, turn);
        } catch (SyncApplier.PageNotApplied e) {
            LOG.warnf("push page of %s not applied: %s", s.code, e.getMessage());
            return all(page, "UNAVAILABLE", "not applied, send it again: " + e.getMessage());
        }
    }

    private static List<Ack> all(List<Incoming> page, String code, String reason) {
        return page.stream().map(in -> Ack.rejected(in, null, code, reason)).toList();
    }
}
