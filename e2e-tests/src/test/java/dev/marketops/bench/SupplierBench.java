package dev.marketops.bench;

import com.sun.net.httpserver.HttpServer;
import dev.marketops.e2e.SupplierStreams;
import dev.marketops.proto.services.SupplierAck;
import dev.marketops.proto.services.SupplierUpdate;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Supplier benchmark against the running fleet (deploy/local/platform.sh bench -Dtest=SupplierBench):
 * (1) push one movie session at a time over gRPC as supplier-cinema -> ONLINE and findable in
 * search (polled every 5 ms), p50/p99 over bench.sessions (default 200) after bench.warmup (default 50) sessions that
 * warm the fleet up, with each stage from the state history;
 * (2) a 1,000-record pull from a change API on loopback -> every room ONLINE;
 * (3) sustained push throughput: bench.updates (default 10,000) price/stock updates of the
 * sessions from (1) in one stream, until the last ack (each ack is after the catalogue applied it).
 */
@Tag("bench")
class SupplierBench {

    static final String GATEWAY = System.getProperty("e2e.gateway", "http://127.0.0.1:8080");
    static final String JDBC = System.getProperty("e2e.jdbc", "jdbc:postgresql://127.0.0.1:5432/marketops_test");
    static final int GRPC = Integer.getInteger("e2e.supplier.grpc", 9085);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final StringBuilder REPORT = new StringBuilder();

    @Test
    void supplierPushPullAndThroughput() throws Exception {
        String cinema = script("service-token", "supplier-cinema");
        String op = "Bearer " + script("token", "operator", "7");
        String admin = "Bearer " + script("token", "supplier_admin", "10");
        int n = Integer.getInteger("bench.sessions", 200);
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

        // (1) push -> ONLINE and searchable; the first bench.warmup sessions warm the fleet's JIT and are reported apart
        int warm = Integer.getInteger("bench.warmup", 50);
        long[] lat = new long[n];
        long[] pushedAt = new long[warm + n], ackedAt = new long[warm + n], foundAt = new long[warm + n];
        List<String> ids = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = -warm; i < n; i++) {
            String token = "sb" + run + "x" + i;
            String ext = "BENCH-" + token;
            if (i >= 0) {
                ids.add(ext);
            }
            all.add(ext);
            int at = i + warm;
            long t0 = System.nanoTime();
            pushedAt[at] = System.currentTimeMillis();
            SupplierAck ack = push(cinema, List.of(SupplierUpdate.newBuilder().setMessageId(ext).setRecordJson(movie(ext, 1, token, 45, 40)).build())).get(0);
            ackedAt[at] = System.currentTimeMillis();
            if (!ack.getAccepted()) {
                throw new AssertionError(ack.toString());
            }
            while (!findable(op, token)) {
                Thread.sleep(5);
                if (System.nanoTime() - t0 > 60_000_000_000L) {
                    throw new AssertionError(token + " not findable within 60 s");
                }
            }
            foundAt[at] = System.currentTimeMillis();
            if (i >= 0) {
                lat[i] = (System.nanoTime() - t0) / 1_000_000;
            }
        }
        long[] cold = new long[warm];
        for (int i = 0; i < warm; i++) {
            cold[i] = foundAt[i] - pushedAt[i];
        }
        if (warm > 0) {
            Arrays.sort(cold);
            line("push -> ONLINE + searchable, the %d warm-up sessions (fleet just started): p50 %d ms, max %d ms", warm,
                    cold[warm / 2], cold[warm - 1]);
        }
        Arrays.sort(lat);
        line("push -> ONLINE + searchable, %d sessions one at a time: p50 %d ms, p99 %d ms, max %d ms", n, lat[n / 2],
                lat[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)], lat[n - 1]);
        stages(all.subList(warm, warm + n), Arrays.copyOfRange(pushedAt, warm, warm + n), Arrays.copyOfRange(ackedAt, warm, warm + n),
                Arrays.copyOfRange(foundAt, warm, warm + n));

        // (3) throughput: updates of the now-online sessions
        int updates = Integer.getInteger("bench.updates", 10_000);
        List<SupplierUpdate> stream = new ArrayList<>(updates);
        for (int u = 0; u < updates; u++) {
            int i = u % n;
            long version = 2 + u / n;
            stream.add(SupplierUpdate.newBuilder().setMessageId("u" + u).setRecordJson(movie(ids.get(i), version, "sb" + run + "x" + i,
                    45 + (version % 10), (int) (40 - version % 30))).build());
        }
        long t0 = System.nanoTime();
        List<SupplierAck> acks = push(cinema, stream);
        double secs = (System.nanoTime() - t0) / 1e9;
        long updated = acks.stream().filter(a -> "updated".equals(a.getOutcome())).count();
        line("push throughput: %d updates (%d sessions, price + seats) in one stream in %.2f s = %.0f applied updates/s (updated %d)",
                updates, n, secs, updated / secs, updated);

        // (2) a 1,000-record pull -> every room ONLINE
        String code = "BENCH_PULL_" + run.toUpperCase();
        LocalDate d = LocalDate.now(ZoneOffset.UTC).plusDays(3);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(("{\"externalId\": \"R%d\", \"version\": 1, \"hotel\": \"Bench %s\", \"roomType\": \"Room %d\", \"bedType\": \"king\", \"calendar\": ["
                    + "{\"date\": \"%s\", \"price\": 399, \"allotment\": 4}, {\"date\": \"%s\", \"price\": 429, \"allotment\": 2}]}")
                    .formatted(i, run, i, d, d.plusDays(1)));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/changes", ex -> {
            String q = String.valueOf(ex.getRequestURI().getQuery());
            int from = q.contains("cursor=") ? Integer.parseInt(q.replaceAll(".*cursor=(\\d+).*", "$1")) : 0;
            boolean done = q.contains("since=W1");
            int to = done ? from : Math.min(1000, from + 500);
            String body = "{\"records\": [" + String.join(",", records.subList(from, to)) + "], \"nextCursor\": "
                    + (to < 1000 && !done ? "\"" + to + "\"" : "null") + ", \"watermark\": \"W1\"}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            String reg = ("{\"supplierCode\": \"%s\", \"supplierName\": \"bench\", \"categoryCode\": \"HOTEL\", \"categoryIds\": [2100], "
                    + "\"syncMode\": \"pull\", \"adapter\": \"hotel\", \"endpointUrl\": \"http://127.0.0.1:%d/changes\", "
                    + "\"pullIntervalSeconds\": 3600, \"pageSize\": 500, \"rateLimitPerSecond\": 100, \"enabled\": false}")
                    .formatted(code, server.getAddress().getPort());
            send(admin, "POST", "/api/supplier/suppliers", reg, 201);
            long p0 = System.nanoTime();
            send(admin, "PUT", "/api/supplier/suppliers/" + code, "{\"version\": 0, \"enabled\": true}", 200);
            long tasksAt = 0;
            while (true) {
                long online = count("SELECT count(*) FROM listing.listing_task t JOIN supplier.supplier_item i ON i.task_id = t.task_id "
                        + "WHERE i.supplier_code = ? AND t.status = 20", code);
                if (tasksAt == 0 && count("SELECT count(*) FROM supplier.supplier_item WHERE supplier_code = ? AND task_id IS NOT NULL",
                        code) == 1000) {
                    tasksAt = System.nanoTime();
                }
                if (online == 1000) {
                    break;
                }
                if (System.nanoTime() - p0 > 300_000_000_000L) {
                    throw new AssertionError("pull not ONLINE within 5 min: " + online);
                }
                Thread.sleep(50);
            }
            double pullSecs = (System.nanoTime() - p0) / 1e9;
            line("pull of 1,000 hotel records (2 pages of 500): tasks created after %.2f s, all ONLINE after %.2f s",
                    (tasksAt - p0) / 1e9, pullSecs);
            send(admin, "PUT", "/api/supplier/suppliers/" + code, "{\"version\": 1, \"enabled\": false}", 200);
        } finally {
            server.stop(0);
        }
        Files.writeString(Path.of("target", "bench-supplier.txt"), REPORT.toString());
    }

    /**
     * Where each measured push's time went, from the client's clock (push, ack, found in search) and
     * listing-service's state history (task created, submitted, approved, ONLINE); one machine, one clock.
     */
    static void stages(List<String> exts, long[] pushed, long[] acked, long[] found) throws Exception {
        String[] names = {"push -> ack", "push -> task created", "created -> submitted", "submitted -> approved",
            "approved -> ONLINE", "ONLINE -> searchable"};
        long[][] d = new long[names.length][exts.size()];
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", "postgres"); PreparedStatement ps = c.prepareStatement("""
                SELECT i.external_id,
                       (extract(epoch FROM min(h.changed_at) FILTER (WHERE h.to_status = 0)) * 1000)::bigint,
                       (extract(epoch FROM min(h.changed_at) FILTER (WHERE h.to_status = 10)) * 1000)::bigint,
                       (extract(epoch FROM min(h.changed_at) FILTER (WHERE h.to_status = 11)) * 1000)::bigint,
                       (extract(epoch FROM min(h.changed_at) FILTER (WHERE h.to_status = 20)) * 1000)::bigint
                FROM supplier.supplier_item i JOIN listing.listing_state_history h ON h.task_id = i.task_id
                WHERE i.external_id = ANY(?) GROUP BY i.external_id""")) {
            ps.setArray(1, c.createArrayOf("text", exts.toArray()));
            java.util.Map<String, long[]> at = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    at.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                }
            }
            for (int i = 0; i < exts.size(); i++) {
                long[] h = at.get(exts.get(i));
                if (h == null) {
                    throw new AssertionError("no state history for " + exts.get(i));
                }
                d[0][i] = acked[i] - pushed[i];
                d[1][i] = h[0] - pushed[i];
                d[2][i] = h[1] - h[0];
                d[3][i] = h[2] - h[1];
                d[4][i] = h[3] - h[2];
                d[5][i] = found[i] - h[3];
            }
        }
        StringBuilder s = new StringBuilder("stages (p50 / p99 ms):");
        for (int k = 0; k < names.length; k++) {
            long[] v = d[k].clone();
            Arrays.sort(v);
            s.append(k == 0 ? " " : "; ").append(names[k]).append(' ').append(v[v.length / 2]).append(" / ")
                    .append(v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.99) - 1)]);
        }
        line("%s", s);
    }

    static void line(String fmt, Object... args) {
        String s = String.format(fmt, args);
        System.out.println("BENCH " + s);
        REPORT.append(s).append('\n');
    }

    static String movie(String ext, long version, String token, double price, int seats) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= seats; i++) {
            s.append(i > 1 ? "," : "").append("\"A").append(i).append('"');
        }
        String show = OffsetDateTime.now(ZoneOffset.UTC).plusDays(6).truncatedTo(ChronoUnit.HOURS).toInstant().toString();
        return ("{\"externalId\": \"%s\", \"version\": %d, \"updatedAt\": \"%s\", \"cinema\": \"Bench Cinema\", \"movie\": \"Bench %s\", "
                + "\"ticketType\": \"3D\", \"showTime\": \"%s\", \"price\": %s, \"seats\": [%s]}")
                .formatted(ext, version, OffsetDateTime.now(ZoneOffset.UTC), token, show, price, s);
    }

    static boolean findable(String op, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/search/search/items?status=online&q=" + token))
                .header("Authorization", op).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && !r.body().contains("\"total\":0");
    }

    static void send(String auth, String method, String path, String body, int expect) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(GATEWAY + path)).header("Authorization", auth)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    static long count(String sql, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", "postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<SupplierAck> push(String token, List<SupplierUpdate> updates) {
        return SupplierStreams.push(GRPC, token, updates, Duration.ofSeconds(300));
    }

    /** deploy/local/platform.sh token / service-token (Keycloak logins). */
    static String script(String... args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("deploy/local/platform.sh"))) {
            root = root.getParent();
        }
        List<String> cmd = new ArrayList<>(List.of(root.resolve("deploy/local/platform.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("platform.sh " + String.join(" ", args) + " failed");
        }
        return out;
    }
}
