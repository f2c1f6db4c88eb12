package dev.marketops.config.publish;

/** What a config.publish event is about; the wire value is ConfigPublishEvent.config_type. */
public enum ConfigType {
    CATEGORY("category"),
    CATEGORY_ATTRIBUTE("category_attribute"),
    AUDIT_CONFIG("audit_config"),
    /** A homepage group was published (or rolled back); the config id is the group id. */
    HOMEPAGE("homepage"),
    TAG("tag");

    public final String wire;

    ConfigType(String wire) {
        this.wire = wire;
    }
}
