package dev.marketops.supplier.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marketops.supplier.supplier.Supplier;
import java.util.List;

/**
 * One kind of supplier (main seed 3.5.4): fetch a page of changes since a watermark, map a
 * supplier record to the platform's model, validate it. The registry's {@code adapter} column
 * picks the implementation by {@link #kind()}: a new supplier kind is one class plus a registry row.
 */
public interface SupplierAdapter {

    /** The registry's name for this kind (movie, hotel, deal_feed). */
    String kind();

    /** One page of a pull: records in the supplier's own format, the cursor of the next page (null: last), the watermark to resume from after the last page. */
    record Page(List<JsonNode> records, String nextCursor, String watermark) {
    }

    /** Fetches a page; the default speaks the platform's pull protocol (PullProtocol). */
    default Page fetch(PullProtocol http, Supplier supplier, String watermark, String cursor) throws java.io.IOException {
        return http.fetch(supplier, watermark, cursor);
    }

    /** Maps and validates one record; a record that cannot be applied throws {@link RecordProblem} naming field and reason. */
    SupplierRecord map(JsonNode record);
}
