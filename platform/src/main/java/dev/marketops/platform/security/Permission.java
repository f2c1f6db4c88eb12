package dev.marketops.platform.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Every permission of the platform and the roles that hold it: the one place where "who may do
 * what" is declared (README's role table is this enum; {@code PermissionTableTest} keeps them
 * equal). Endpoints declare {@code @PermissionsAllowed(Permission.Names.X)}; the augmentor grants
 * a verified caller the permissions of its roles. Merchant rights are always confined to the
 * merchant's own shop by the queries themselves.
 */
public enum Permission {
    LISTING_READ(Names.LISTING_READ, "read listing tasks, their history and audit records",
            Roles.OPERATOR, Roles.AUDITOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.ADMIN),
    LISTING_WRITE(Names.LISTING_WRITE, "create, edit and submit listings; publish, offline, online",
            Roles.OPERATOR, Roles.MERCHANT, Roles.ADMIN),
    AUDIT_DECIDE(Names.AUDIT_DECIDE, "claim, approve and reject in the manual review queue",
            Roles.AUDITOR, Roles.ADMIN),
    CATALOGUE_READ(Names.CATALOGUE_READ, "read items, SKUs, prices, stock, search",
            Roles.OPERATOR, Roles.AUDITOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.ADMIN),
    GOODS_STATUS(Names.GOODS_STATUS, "change goods status by id (merchants: own goods)",
            Roles.OPERATOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.ADMIN),
    SHOP_STATUS(Names.SHOP_STATUS, "take a whole shop offline or online",
            Roles.OPERATOR, Roles.RISK_CONTROL, Roles.ADMIN),
    BATCH_RUN(Names.BATCH_RUN, "upload and run batch operations, read own batches and files",
            Roles.OPERATOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.ADMIN),
    BATCH_ALL(Names.BATCH_ALL, "read and cancel every caller's batches",
            Roles.ADMIN),
    BATCH_RETRY(Names.BATCH_RETRY, "retry a finished batch's failed rows, resume a batch an outage failed (own batches)",
            Roles.OPERATOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.ADMIN),
    PRICE_GUARD_OVERRIDE(Names.PRICE_GUARD_OVERRIDE, "change prices beyond the server's guard (maxChangePercent)",
            Roles.RISK_CONTROL, Roles.ADMIN),
    CONFIG_READ(Names.CONFIG_READ, "read categories, attributes and audit strategies",
            Roles.OPERATOR, Roles.AUDITOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.SUPPLIER_ADMIN, Roles.ADMIN),
    CONFIG_WRITE(Names.CONFIG_WRITE, "change categories, attributes and audit strategies",
            Roles.ADMIN),
    SAGA_READ(Names.SAGA_READ, "read publish sagas and their steps",
            Roles.OPERATOR, Roles.ADMIN),
    SAGA_OPERATE(Names.SAGA_OPERATE, "retry or compensate a publish saga",
            Roles.OPERATOR, Roles.ADMIN),
    RECONCILIATION(Names.RECONCILIATION, "start and read search reconciliations",
            Roles.OPERATOR, Roles.ADMIN),
    DEAD_LETTERS(Names.DEAD_LETTERS, "read, replay and discard dead letters",
            Roles.ADMIN),
    STATISTICS_READ(Names.STATISTICS_READ, "read statistics and job runs",
            Roles.OPERATOR, Roles.AUDITOR, Roles.RISK_CONTROL, Roles.ADMIN),
    NOTIFICATIONS_READ(Names.NOTIFICATIONS_READ, "read and mark read one's own notifications",
            Roles.OPERATOR, Roles.AUDITOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.SUPPLIER_ADMIN, Roles.ADMIN),
    WEBHOOKS_MANAGE(Names.WEBHOOKS_MANAGE, "register, list and remove notification webhooks",
            Roles.OPERATOR, Roles.ADMIN),
    SUPPLIER_ADMIN(Names.SUPPLIER_ADMIN, "manage suppliers, their credentials and sync",
            Roles.SUPPLIER_ADMIN, Roles.ADMIN),
    HISTORY_READ(Names.HISTORY_READ, "read product change history (merchants: own goods)",
            Roles.OPERATOR, Roles.AUDITOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.ADMIN),
    HISTORY_EXPORT(Names.HISTORY_EXPORT, "export product change history and read the access log",
            Roles.OPERATOR, Roles.ADMIN),
    HISTORY_SENSITIVE(Names.HISTORY_SENSITIVE, "see the sensitive fields of product history unmasked",
            Roles.RISK_CONTROL, Roles.ADMIN),
    HISTORY_ROLLBACK(Names.HISTORY_ROLLBACK, "roll a product back to a version, restore goods to a point in time (merchants: own goods)",
            Roles.OPERATOR, Roles.MERCHANT, Roles.ADMIN),
    HOMEPAGE_EDIT(Names.HOMEPAGE_EDIT, "edit homepage groups and entrances as drafts, manage tags",
            Roles.OPERATOR, Roles.ADMIN),
    HOMEPAGE_PUBLISH(Names.HOMEPAGE_PUBLISH, "publish, schedule and roll back homepage groups",
            Roles.ADMIN),
    HOMEPAGE_READ(Names.HOMEPAGE_READ, "read the published homepage (storefront backends)",
            Roles.OPERATOR, Roles.AUDITOR, Roles.MERCHANT, Roles.RISK_CONTROL, Roles.SUPPLIER_ADMIN, Roles.ADMIN,
            Roles.SERVICE),
    PROMOTION_WRITE(Names.PROMOTION_WRITE, "create, edit and end cross-category promotions",
            Roles.OPERATOR, Roles.ADMIN);

    /** Compile-time constants for annotations. */
    public static final class Names {
        public static final String LISTING_READ = "listing:read";
        public static final String LISTING_WRITE = "listing:write";
        public static final String AUDIT_DECIDE = "audit:decide";
        public static final String CATALOGUE_READ = "catalogue:read";
        public static final String GOODS_STATUS = "goods:status";
        public static final String SHOP_STATUS = "shop:status";
        public static final String BATCH_RUN = "batch:run";
        public static final String BATCH_ALL = "batch:all";
        public static final String BATCH_RETRY = "batch:retry";
        public static final String PRICE_GUARD_OVERRIDE = "price:guard-override";
        public static final String CONFIG_READ = "config:read";
        public static final String CONFIG_WRITE = "config:write";
        public static final String SAGA_READ = "saga:read";
        public static final String SAGA_OPERATE = "saga:operate";
        public static final String RECONCILIATION = "search:reconcile";
        public static final String DEAD_LETTERS = "maintenance:dead-letters";
        public static final String STATISTICS_READ = "maintenance:statistics";
        public static final String NOTIFICATIONS_READ = "maintenance:notifications";
        public static final String WEBHOOKS_MANAGE = "maintenance:webhooks";
        public static final String SUPPLIER_ADMIN = "supplier:admin";
        public static final String HISTORY_READ = "history:read";
        public static final String HISTORY_EXPORT = "history:export";
        public static final String HISTORY_SENSITIVE = "history:sensitive";
        public static final String HISTORY_ROLLBACK = "history:rollback";
        public static final String HOMEPAGE_EDIT = "homepage:edit";
        public static final String HOMEPAGE_PUBLISH = "homepage:publish";
        public static final String HOMEPAGE_READ = "homepage:read";
        public static final String PROMOTION_WRITE = "promotion:write";

        private Names() {
        }
    }

    private final String key;
    private final String description;
    private final Set<String> roles;

    Permission(String key, String description, String... roles) {
        this.key = key;
        this.description = description;
        this.roles = Set.of(roles);
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public Set<String> roles() {
        return roles;
    }

    public boolean grantedToAny(Collection<String> callerRoles) {
        return callerRoles.stream().anyMatch(roles::contains);
    }

    /** The permission keys a caller with these roles holds. */
    public static List<String> keysFor(Collection<String> callerRoles) {
        return Arrays.stream(values()).filter(p -> p.grantedToAny(callerRoles)).map(Permission::key).toList();
    }
}
