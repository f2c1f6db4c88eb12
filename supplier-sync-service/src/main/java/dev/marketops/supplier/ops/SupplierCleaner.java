package dev.marketops.supplier.ops;

import dev.marketops.proto.catalog.CatalogCommandsGrpc;
import dev.marketops.proto.catalog.ChangeStatusRequest;
import dev.marketops.proto.catalog.ItemResult;
import dev.marketops.proto.catalog.ItemResults;
import dev.marketops.supplier.supplier.Supplier;
import dev.marketops.supplier.sync.SyncApplier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The clean-up steps of SupplierDataCleanWorker, set-based per chunk of 500 items. */
@ApplicationScoped
public class SupplierCleaner {

    @Inject
    AgroalDataSource ds;
    @GrpcClient("listing")
    CatalogCommandsGrpc.CatalogCommandsBlockingStub catalog;

    /** Items of the supplier that expired (session started, last night passed): offline in the catalogue and here. */
    public int expire(Supplier s) {
        int done = 0;
        while (true) {
            List<Long> items = new ArrayList<>();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT item_id FROM supplier_item "
                    + "WHERE supplier_code = ? AND expires_at < now() AND status <> 'offline' AND item_id IS NOT NULL LIMIT 500")) {
                ps.setString(1, s.code);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(rs.getLong(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (items.isEmpty()) {
                return done;
            }
            ItemResults res;
            try {
                res = SyncApplier.call(SyncApplier.actorOf(s, 0), () -> catalog.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .changeStatus(ChangeStatusRequest.newBuilder().addAllItemIds(items).setTargetStatus("offline")
                                .setOperatorType("system").setOperatorId(s.userId).setReason("supplier " + s.code + ": expired").build()));
            } catch (Exception e) {
                throw new IllegalStateException("could not take expired goods of " + s.code + " offline", e);
            }
            List<Long> settled = new ArrayList<>();
            for (ItemResult r : res.getResultsList()) {
                // an item already offline or deleted by someone else is settled too
                if (r.getOk() || "ILLEGAL_STATUS".equals(r.getErrorCode()) || "NOT_FOUND".equals(r.getErrorCode())) {
                    settled.add(r.getItemId() != 0 ? r.getItemId() : items.get(r.getIndex()));
                }
            }
            if (settled.isEmpty()) {
                return done;
            }
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE supplier_item SET status = 'offline', "
                    + "last_synced_at = now() WHERE supplier_code = ? AND item_id = ANY(?)")) {
                ps.setString(1, s.code);
                ps.setArray(2, c.createArrayOf("bigint", settled.toArray()));
                done += ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            if (settled.size() < items.size()) {
                return done;
            }
        }
    }

    public int purgeFailures(Duration retention) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM supplier_sync_failure WHERE occurred_at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, retention.toSeconds());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
