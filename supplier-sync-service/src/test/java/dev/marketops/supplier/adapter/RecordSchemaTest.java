package dev.marketops.supplier.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The per-kind record schemas (supplier-push/<kind>.schema.json) as suppliers meet them: what passes, and how a refusal is named. */
class RecordSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode hotel() throws Exception {
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(3);
        return (ObjectNode) JSON.readTree("""
                {"externalId": "H-1", "version": 2, "hotel": "Sea View", "roomType": "Deluxe", "status": "open",
                 "calendar": [{"date": "%s", "price": 399, "allotment": 5}, {"date": "%s", "price": 420.5, "allotment": 0}]}"""
                .formatted(d, d.plusDays(1)));
    }

    private static RecordProblem refused(String kind, JsonNode record) {
        return assertThrows(RecordProblem.class, () -> RecordSchema.of(kind).check(record));
    }

    @Test
    void aConformingRecordPassesAndExtraPropertiesAreAllowed() throws Exception {
        ObjectNode h = hotel();
        h.put("supplierNote", "added later by the supplier");
        RecordSchema.of("hotel").check(h);
        RecordSchema.of("deal_feed").check(JSON.readTree("""
                {"externalId": "D-1", "version": 1, "title": "Spa voucher", "faceValue": 100, "salePrice": 79.9, "validDays": 30}"""));
    }

    @Test
    void aViolationNamesTheFieldByItsPathWithAStableCode() throws Exception {
        ObjectNode wrongType = hotel();
        ((ObjectNode) wrongType.get("calendar").get(1)).put("price", "420");
        RecordProblem p = refused("hotel", wrongType);
        assertEquals("INVALID_FIELD", p.code());
        assertEquals("calendar[1].price", p.field());
        assertTrue(p.getMessage().startsWith("calendar[1].price: "), p.getMessage());

        ObjectNode missing = hotel();
        ((ObjectNode) missing.get("calendar").get(0)).remove("allotment");
        p = refused("hotel", missing);
        assertEquals("MISSING_FIELD", p.code());
        assertEquals("calendar[0].allotment", p.field());

        ObjectNode free = hotel();
        ((ObjectNode) free.get("calendar").get(0)).put("price", 0);
        assertEquals("PRICE_NOT_POSITIVE", refused("hotel", free).code());

        ObjectNode badDate = hotel();
        ((ObjectNode) badDate.get("calendar").get(0)).put("date", "20.12.2026");
        p = refused("hotel", badDate);
        assertEquals("INVALID_FIELD", p.code());
        assertEquals("calendar[0].date", p.field());

        ObjectNode status = hotel();
        status.put("status", "scheduled");
        p = refused("hotel", status);
        assertEquals("status", p.field());
    }

    @Test
    void everyViolationIsNamedFirstInFieldOrder() throws Exception {
        ObjectNode movieLike = (ObjectNode) JSON.readTree("""
                {"externalId": "M-1", "version": -1, "cinema": "Harbour", "movie": "Night", "ticketType": "IMAX",
                 "showTime": "tomorrow", "price": 45, "status": "scheduled"}""");
        RecordProblem p = refused("hotel", movieLike);
        assertEquals("MISSING_FIELD", p.code());
        assertEquals("calendar", p.field());
        for (String f : new String[] {"hotel", "roomType", "status", "version"}) {
            assertTrue(p.getMessage().contains(f), p.getMessage());
        }
        p = refused("movie", movieLike);
        assertEquals("showTime", p.field());
        assertTrue(p.getMessage().contains("version"), p.getMessage());
    }

    @Test
    void theDocumentedExamplesConformToTheirSchemas() throws Exception {
        RecordSchema.of("movie").check(example("example-movie.json").get("record"));
        RecordSchema.of("hotel").check(example("example-hotel.json").get("record"));
    }

    @Test
    void aKindWithoutItsSchemaCannotBeUsed() {
        assertThrows(IllegalStateException.class, () -> RecordSchema.of("ferry"));
    }

    private static JsonNode example(String name) throws Exception {
        try (InputStream in = RecordSchemaTest.class.getClassLoader().getResourceAsStream("supplier-push/" + name)) {
            return JSON.readTree(in);
        }
    }
}
