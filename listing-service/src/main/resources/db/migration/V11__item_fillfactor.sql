-- item and sku rows are updated by every catalogue change (version, prices, stock) and their
-- updated columns are not indexed: room on each page lets those updates stay on the page (HOT)
-- instead of adding an entry to every index of the table. Applies to pages written from now on.
ALTER TABLE item SET (fillfactor = 85);
ALTER TABLE sku SET (fillfactor = 85);
