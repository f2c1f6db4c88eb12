package dev.marketops.listing.catalogue;

/** Topics the catalogue publishes to (through the outbox), keyed by item id (shop id for shop requests). */
public final class CatalogueTopics {

    public static final String GOODS_STATUS_CHANGED = "goods.status.changed";
    public static final String SHOP_STATUS_REQUESTED = "goods.shop.status.requested";
    public static final String PRICE_CHANGED = "price.changed";
    public static final String INVENTORY_CHANGED = "inventory.changed";
    public static final String ITEM_CHANGED = "item.changed";

    private CatalogueTopics() {
    }
}
