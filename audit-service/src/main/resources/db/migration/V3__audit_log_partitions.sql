-- Data lifecycle (issue 13): listing_audit_log partitioned by month on audit_time, so
-- maintenance-service archives and drops whole months instead of deleting rows.

-- Turns a plain table into one partitioned by month on time_col (PostgreSQL declarative
-- partitioning), in this migration's transaction and without losing a row: the old table is
-- renamed, a partitioned twin with the same columns, defaults and checks takes its name, one
-- partition per month from the oldest row to months_ahead months on (named <table>_YYYYMM, the
-- convention maintenance-service's TableShardingWorker follows) plus a default partition as a
-- safety net, the rows are copied, the old table's indexes are made again on the new one, its
-- sequences change owner and the old table goes. The primary key becomes key_cols, which must
-- hold time_col (a partitioned table's unique keys include the partition key).
CREATE OR REPLACE FUNCTION partition_table_by_month(tbl TEXT, time_col TEXT, key_cols TEXT, months_ahead INT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    old TEXT := tbl || '_unpartitioned';
    defs TEXT[];
    d TEXT;
    r RECORD;
    first_month DATE;
    last_month DATE := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead))::date;
    m DATE;
    moved BIGINT;
BEGIN
    SELECT coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}') INTO defs
      FROM pg_index i WHERE i.indrelid = to_regclass(quote_ident(tbl)) AND NOT i.indisprimary;
    EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
    FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(quote_ident(old)) AND contype IN ('p', 'u') LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', old, r.conname);
    END LOOP;
    FOR r IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE i.indrelid = to_regclass(quote_ident(old)) LOOP
        EXECUTE format('DROP INDEX %I', r.relname);
    END LOOP;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) '
                   || 'PARTITION BY RANGE (%I)', tbl, old, time_col);
    EXECUTE format('SELECT date_trunc(''month'', min(%I) AT TIME ZONE ''UTC'')::date FROM %I', time_col, old) INTO first_month;
    m := least(coalesce(first_month, last_month), date_trunc('month', now() AT TIME ZONE 'UTC')::date);
    WHILE m <= last_month LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', tbl || '_' || to_char(m, 'YYYYMM'), tbl,
                       m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        m := (m + interval '1 month')::date;
    END LOOP;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_default', tbl);
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', tbl, old);
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (%s)', tbl, key_cols);
    FOREACH d IN ARRAY defs LOOP
        EXECUTE d;
    END LOOP;
    FOR r IN SELECT s.oid::regclass::text AS seq, a.attname FROM pg_depend dep
               JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
               JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
              WHERE dep.refobjid = to_regclass(quote_ident(old)) AND dep.deptype = 'a' LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNED BY %I.%I', r.seq, tbl, r.attname);
    END LOOP;
    EXECUTE format('DROP TABLE %I', old);
    RETURN moved;
END $$;

SELECT partition_table_by_month('listing_audit_log', 'audit_time', 'id, audit_time', 2);
