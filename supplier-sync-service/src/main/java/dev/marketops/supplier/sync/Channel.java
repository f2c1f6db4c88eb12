package dev.marketops.supplier.sync;

/** Where updates came from; a pull creates listings with source supplier_pull, pushes with supplier_push. */
public enum Channel {
    GRPC("supplier_push"), KAFKA("supplier_push"), PULL("supplier_pull");

    public final String sourceType;

    Channel(String sourceType) {
        this.sourceType = sourceType;
    }

    public String wire() {
        return name().toLowerCase();
    }
}
