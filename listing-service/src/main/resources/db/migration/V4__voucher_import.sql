-- Codes of voucher imports in flight: ImportVoucherCodes streams them here chunk by chunk, then
-- moves them into voucher_code with one INSERT ... SELECT and empties its rows. Unlogged: the
-- rows live for one import only (a crash loses an unfinished import, which the caller retries).
CREATE UNLOGGED TABLE voucher_import_staging (
    import_id   VARCHAR(40)  NOT NULL,
    row_no      INT          NOT NULL,
    code        VARCHAR(128) NOT NULL,
    expires_on  DATE
);
CREATE INDEX voucher_import_staging_import ON voucher_import_staging (import_id);
