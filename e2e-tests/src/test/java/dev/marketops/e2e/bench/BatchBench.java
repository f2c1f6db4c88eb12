package dev.marketops.e2e.bench;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.e2e.Logins;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batch operations benchmark against the running fleet through the gateway
 * (deploy/local/platform.sh bench): generates the files and measures, from the start of the
 * upload to the batch finished and its result file downloaded:
 * (1) a 10,000-row mixed-category listing import until every task is ONLINE,
 * (2) a 10,000-row price update and (3) a 10,000-row stock update on those items,
 * (4) 1,000,000 voucher codes into one item's code pool.
 * Each is run {@code bench.batch.runs} times (3); after each run the same rows are applied by
 * the database alone ({@link Floor}) and the ratio of the two is reported, with the stages the
 * services timed themselves during the run (their /q/metrics timers) and every service's peak
 * heap and RSS ({@link ServiceMeters}). Figures are printed and written to target/bench-batch.txt.
 */
@Tag("bench")
class BatchBench {

    static final String GATEWAY = System.getProperty("e2e.gateway", "http://127.0.0.1:8080");
    static final String BATCH = GATEWAY + "/api/batch";
    static final int ROWS = Integer.getInteger("bench.batch.rows", 10_000);
    static final int CODES = Integer.getInteger("bench.batch.codes", 1_000_000);
    static final long OPERATOR = 7_000_000L + (System.currentTimeMillis() % 1_000_000);
    static final ObjectMapper JSON = new ObjectMapper();

    static final int RUNS = Integer.getInteger("bench.batch.runs", 3);
    static final String JDBC = System.getProperty("e2e.jdbc", "jdbc:postgresql://127.0.0.1:5432/marketops_test");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<String> report = new ArrayList<>();
    final ServiceMeters meters = new ServiceMeters();
    final Floor floor = new Floor(JDBC);

    @Test
    void batchOperations() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "bench-batch"));
        Row imports = new Row("listing import to ONLINE", ROWS + " rows, 4 categories");
        Row prices = new Row("price update", ROWS + " rows (+/-5%)");
        Row stock = new Row("stock update", ROWS + " rows (set)");
        Row codes = new Row("voucher codes", CODES + " codes");
        List<Long> items = List.of();
        for (int k = 0; k < RUNS; k++) {
            items = listingImport(dir, k, imports);
        }
        if (!items.isEmpty()) {
            for (int k = 0; k < RUNS; k++) {
                priceUpdate(dir, items, prices);
                stockUpdate(dir, items, stock);
            }
        }
        for (int k = 0; k < RUNS; k++) {
            voucherCodes(dir, items, 1 + 4 * k, codes);
        }
        report.add("");
        report.add("summary (end to end = upload to finished and result file downloaded; floor = the database alone, same rows, same run):");
        for (Row r : List.of(imports, prices, stock, codes)) {
            report.add(r.summary());
        }
        String text = String.join("\n", report);
        System.out.println("\n==== batch benchmark ====\n" + text + "\n");
        Files.writeString(Path.of("target", "bench-batch.txt"), text + "\n");
    }

    /** Mixed categories (top-up, deal, gift card, service voucher) in one sheet, to ONLINE. */
    private List<Long> listingImport(Path dir, int round, Row row) throws Exception {
        Path file = dir.resolve("listings.xlsx");
        String[] header = {"category_id", "title", "carrier", "denomination", "sale_price", "face_value", "valid_days",
                "card_type", "service_name", "price", "quantity"};
        String tag = round == 0 ? "" : " r" + round;
        Cells cells = i -> switch (i % 4) {
            case 0 -> new Object[]{4100, "Top-up " + i + tag, "China Mobile", 50, 49.5, null, null, null, null, null, null};
            case 1 -> new Object[]{1200, "Deal " + i + tag, null, null, 88, 100, 90, null, null, null, null};
            case 2 -> new Object[]{4200, "Gift card " + i + tag, null, null, 190, 200, null, "generated", null, null, null};
            default -> new Object[]{1300, "Car wash " + i + tag, null, null, null, null, 30, null, "Car wash", 39.9, 100};
        };
        xlsx(file, header, ROWS, cells);
        Path rows = dir.resolve("listings-floor.csv");
        csv(rows, "n,category_id,title,item_data", ROWS, i -> {
            Object[] c = cells.of(i);
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            for (int k = 2; k < c.length; k++) {
                if (c[k] != null) {
                    data.put(header[k], c[k]);
                }
            }
            try {
                return i + "," + c[0] + "," + c[1] + ",\"" + JSON.writeValueAsString(data).replace("\"", "\"\"") + "\"";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Run run = run("listing_upload", file, "{\"shopId\": 1001}", 600);
        List<Long> itemIds = new ArrayList<>();
        collectItems(run.batchId(), itemIds);
        row.add(run, floor.listings(rows));
        return itemIds;
    }

    private void priceUpdate(Path dir, List<Long> items, Row row) throws Exception {
        Path file = dir.resolve("prices.csv");
        csv(file, "item_id,mode,value", items.size(), i -> items.get(i) + ",percent," + (i % 2 == 0 ? "-5" : "5"));
        Run run = run("price_adjust", file, "{\"confirm\": true}", 300);
        row.add(run, floor.prices(file));
    }

    private void stockUpdate(Path dir, List<Long> items, Row row) throws Exception {
        Path file = dir.resolve("stock.csv");
        csv(file, "item_id,mode,quantity", items.size(), i -> items.get(i) + ",set," + (100 + i % 50));
        Run run = run("inventory_update", file, "{}", 300);
        row.add(run, floor.stock(file));
    }

    /** Into the pool of the deal at {@code index} of the imported items (every fourth row is a deal). */
    private void voucherCodes(Path dir, List<Long> items, int index, Row row) throws Exception {
        long target = items.size() > index ? items.get(index) : Long.getLong("bench.batch.voucherItem", 0L);
        if (target == 0) {
            report.add("voucher codes: skipped (no item; pass -Dbench.batch.voucherItem=<item id>)");
            return;
        }
        Path file = dir.resolve("codes.csv");
        String salt = Long.toString(System.nanoTime(), 36).toUpperCase();
        csv(file, "code", CODES, i -> "B" + salt + "X" + Integer.toString(i, 36).toUpperCase());
        Run run = run("voucher_code_import", file, "{\"itemId\": " + target + "}", 900);
        row.add(run, floor.vouchers(file, target));
    }

    record Run(long batchId, JsonNode batch, double seconds, long resultBytes, Map<String, long[]> peaks, List<String> stages) {
    }

    /** One row of the report: its runs, and the floor measured after each of them. */
    final class Row {
        final String what;
        final String size;
        final List<Run> runs = new ArrayList<>();
        final List<Double> floors = new ArrayList<>();

        Row(String what, String size) {
            this.what = what;
            this.size = size;
        }

        void add(Run run, double floor) {
            runs.add(run);
            floors.add(floor);
            report.add(line(what + " #" + runs.size(), size, run, floor));
            run.stages().forEach(st -> report.add("      " + st));
        }

        String summary() {
            if (runs.isEmpty()) {
                return String.format("%-26s no run", what);
            }
            double[] e = runs.stream().mapToDouble(Run::seconds).sorted().toArray();
            double[] f = floors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] ratio = new double[runs.size()];
            for (int k = 0; k < ratio.length; k++) {
                ratio[k] = runs.get(k).seconds() / floors.get(k);
            }
            java.util.Arrays.sort(ratio);
            return String.format("%-26s %-34s end to end median %6.2f s (%.2f-%.2f), floor median %6.3f s (%.3f-%.3f), ratio median %5.1fx (%.1f-%.1f), %d runs",
                    what, size, median(e), e[0], e[e.length - 1], median(f), f[0], f[f.length - 1], median(ratio), ratio[0],
                    ratio[ratio.length - 1], runs.size());
        }
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private Run run(String type, Path file, String params, int maxSeconds) throws Exception {
        ServiceMeters.Timers batchBefore = meters.timers("batch-operation-service");
        ServiceMeters.Timers listingBefore = meters.timers("listing-service");
        Map<String, Double> cpuBefore = ServiceMeters.cpuSeconds();
        meters.start();
        long id;
        JsonNode b;
        HttpResponse<byte[]> result;
        double seconds;
        Map<String, long[]> peaks;
        try {
            long t0 = System.nanoTime();
            String reply = given().header("Authorization", Logins.bearer("operator", OPERATOR))
                    .multiPart("file", file.toFile()).multiPart("operationType", type).multiPart("params", params)
                    .multiPart("force", "true").post(BATCH + "/batches").then().extract().asString();
            JsonNode up = JSON.readTree(reply);
            if (!up.has("batch")) {
                throw new IllegalStateException(type + " upload refused: " + reply);
            }
            id = up.get("batch").get("batchId").asLong();
            b = up.get("batch");
            long deadline = System.currentTimeMillis() + maxSeconds * 1000L;
            while (!finished(b.get("status").asText()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                b = get("/batches/" + id);
            }
            if (!finished(b.get("status").asText())) {
                throw new AssertionError(type + " batch " + id + " not finished within " + maxSeconds + " s: " + b);
            }
            result = http.send(HttpRequest.newBuilder(URI.create(BATCH + "/batches/" + id + "/result.xlsx"))
                    .header("Authorization", Logins.bearer("operator", OPERATOR)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (result.statusCode() != 200) {
                throw new AssertionError(type + " batch " + id + " result file -> " + result.statusCode());
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        } finally {
            peaks = meters.stop();
        }
        List<String> stages = new ArrayList<>();
        stages.add(ServiceMeters.cpuUsed(cpuBefore, ServiceMeters.cpuSeconds()) + String.format(" (of %.1f core-s)",
                seconds * Runtime.getRuntime().availableProcessors()));
        ServiceMeters.moved(batchBefore, meters.timers("batch-operation-service"), 0.02, 14).forEach(l -> stages.add("batch   " + l));
        ServiceMeters.moved(listingBefore, meters.timers("listing-service"), 0.02, 10).forEach(l -> stages.add("listing " + l));
        return new Run(id, b, seconds, result.body().length, peaks, stages);
    }

    private void collectItems(long batchId, List<Long> out) throws Exception {
        for (int page = 0; ; page++) {
            JsonNode p = get("/batches/" + batchId + "/items?status=succeeded&size=200&page=" + page);
            for (JsonNode i : p.get("items")) {
                JsonNode after = i.get("after");
                if (after != null && after.has("item_id")) {
                    out.add(after.get("item_id").asLong());
                }
            }
            if (p.get("items").size() < 200) {
                return;
            }
        }
    }

    private static String line(String what, String size, Run r, double floor) {
        JsonNode b = r.batch();
        return String.format("%-26s %-34s %7.2f s  floor %6.3f s  ratio %5.1fx  status %s, ok %d, failed %d, skipped %d; result file %d KB%n"
                        + "      peak heap/RSS MB: %s",
                what, size, r.seconds(), floor, r.seconds() / floor, b.get("status").asText(), b.get("successCount").asInt(),
                b.get("failedCount").asInt(), b.get("skippedCount").asInt(), r.resultBytes() / 1024, ServiceMeters.describe(r.peaks()));
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(BATCH + path))
                .header("Authorization", Logins.bearer("operator", OPERATOR)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static boolean finished(String status) {
        return List.of("completed", "partial_success", "failed", "cancelled").contains(status);
    }

    interface Line {
        String of(int i);
    }

    interface Cells {
        Object[] of(int i);
    }

    static void csv(Path file, String header, int rows, Line line) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(header);
            w.write('\n');
            for (int i = 0; i < rows; i++) {
                w.write(line.of(i));
                w.write('\n');
            }
        }
    }

    /** A minimal .xlsx (inline strings, numbers), written row by row with the JDK's zip. */
    static void xlsx(Path file, String[] header, int rows, Cells cells) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            put(z, "[Content_Types].xml", """
                    <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                    <Default Extension="xml" ContentType="application/xml"/>\
                    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                    </Types>""");
            put(z, "_rels/.rels", """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                    </Relationships>""");
            put(z, "xl/workbook.xml", """
                    <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                    xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="listings" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            put(z, "xl/_rels/workbook.xml.rels", """
                    <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
                    </Relationships>""");
            z.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            Writer w = new BufferedWriter(new OutputStreamWriter(new NonClosing(z), StandardCharsets.UTF_8));
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            row(w, 1, header);
            for (int i = 0; i < rows; i++) {
                row(w, i + 2, cells.of(i));
            }
            w.write("</sheetData></worksheet>");
            w.flush();
            z.closeEntry();
        }
    }

    private static void row(Writer w, int r, Object[] cells) throws IOException {
        w.write("<row r=\"" + r + "\">");
        for (int c = 0; c < cells.length; c++) {
            Object v = cells[c];
            if (v == null) {
                continue;
            }
            String ref = (char) ('A' + c) + Integer.toString(r);
            if (v instanceof Number) {
                w.write("<c r=\"" + ref + "\"><v>" + v + "</v></c>");
            } else {
                w.write("<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + v.toString().replace("&", "&amp;").replace("<", "&lt;")
                        + "</t></is></c>");
            }
        }
        w.write("</row>");
    }

    private static void put(ZipOutputStream z, String name, String content) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(content.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
