package dev.marketops.publish.runner;

import java.util.Arrays;

/**
 * The publish saga's steps in order (main seed 5.6.1, mapped onto CatalogCommands). Step 7
 * moves the listing task to ONLINE; listing-service then emits listing.published, which the
 * projections (cache, search index) consume, so the seed's "publish event / update cache /
 * sync ES" steps are not steps of this saga.
 */
public enum SagaStep {
    CREATE_ITEM(1, "create_item"),
    CREATE_SKUS(2, "create_skus"),
    SET_ATTRIBUTES(3, "set_attributes"),
    INIT_INVENTORY(4, "init_inventory"),
    SET_PRICES(5, "set_prices"),
    MARK_ONLINE(6, "mark_online"),
    COMPLETE_TASK(7, "complete_task");

    public static final int COUNT = values().length;
    /** The last step that changes the catalogue and so can be undone. */
    public static final SagaStep LAST_COMPENSABLE = MARK_ONLINE;

    public final int no;
    public final String wire;

    SagaStep(int no, String wire) {
        this.no = no;
        this.wire = wire;
    }

    public static SagaStep of(int no) {
        return values()[no - 1];
    }

    public static boolean isName(String name) {
        return named(name).isPresent();
    }

    /** The step of this wire name, if there is one. */
    public static java.util.Optional<SagaStep> named(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
    }

    static int[] numbers() {
        return Arrays.stream(values()).mapToInt(s -> s.no).toArray();
    }

    static String[] names() {
        return Arrays.stream(values()).map(s -> s.wire).toArray(String[]::new);
    }
}
