-- A refused record names where it came (gRPC message id, Kafka topic/partition/offset or
-- message id, pulled page and row "page:<cursor>#<row>") and the field its reason is about.
ALTER TABLE supplier_sync_failure
    ADD COLUMN row_ref VARCHAR(300),
    ADD COLUMN field   VARCHAR(300);
