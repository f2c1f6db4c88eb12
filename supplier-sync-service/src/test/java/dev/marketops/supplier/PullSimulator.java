package dev.marketops.supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A supplier's change API on loopback (JDK HttpServer), speaking the pull protocol: records in
 * pages of {@code limit}, cursor = the next offset, watermark after the last page. Faults can be
 * armed per cursor: answer 500 once, or hang past the client's timeout once. Like a real change
 * API it refuses (401) a request without the expected Authorization header: by default the bearer
 * token of the test secret {@code secret:test-hotels-api-key}, which {@link #writeSecret} puts in
 * the test secrets directory ({@code marketops.supplier.credentials.secrets-dir}).
 */
final class PullSimulator implements AutoCloseable {

    enum Fault { HTTP_500, HANG }

    private final HttpServer server;
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger served = new AtomicInteger();
    volatile String watermark = "W1";
    /** The Authorization header a request must carry. */
    volatile String expectedAuthorization = "Bearer " + API_KEY;
    final List<String> refused = new CopyOnWriteArrayList<>();

    /** Where the tests' secret files lie: the service under test and the processes it starts read them there. */
    static final java.nio.file.Path SECRETS = java.nio.file.Path.of("target", "test-secrets").toAbsolutePath();
    /** The value of secret:test-hotels-api-key, new per test run. */
    static final String API_KEY = "tk_" + java.util.UUID.randomUUID().toString().replace("-", "");

    static {
        writeSecret("test-hotels-api-key", API_KEY);
    }

    static void writeSecret(String name, String value) {
        try {
            java.nio.file.Files.createDirectories(SECRETS);
            java.nio.file.Files.writeString(SECRETS.resolve(name), value + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    PullSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/changes", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/changes";
    }

    void add(String record) {
        records.add(record);
    }

    void add(int index, String record) {
        records.add(index, record);
    }

    void clear() {
        records.clear();
    }

    /** The next request for this cursor ("0" is the first page) fails once this way. */
    void failOnce(String cursor, Fault fault) {
        faults.put(cursor, fault);
    }

    private final Map<String, Long> hangs = new ConcurrentHashMap<>();

    /** The next request for this cursor hangs this long (the client is meant to die meanwhile), then answers normally. */
    void hangOnce(String cursor, long millis) {
        hangs.put(cursor, millis);
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> q = new HashMap<>();
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String p : query.split("&")) {
                int eq = p.indexOf('=');
                q.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String cursor = q.getOrDefault("cursor", "0");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!expectedAuthorization.equals(auth)) {
            refused.add(auth == null ? "(none)" : auth);
            respond(ex, 401, "{\"error\": \"unauthorized\"}");
            return;
        }
        requests.add("since=" + q.get("since") + " cursor=" + cursor);
        Fault f = faults.remove(cursor);
        Long hang = hangs.remove(cursor);
        if (hang != null) {
            try {
                Thread.sleep(hang);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (f == Fault.HTTP_500) {
            respond(ex, 500, "{\"error\": \"internal\"}");
            return;
        }
        if (f == Fault.HANG) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, "{\"records\": []}");
            return;
        }
        List<String> all = new ArrayList<>(records);
        if (watermark.equals(q.get("since"))) {
            all = List.of(); // nothing changed since the last pull
        }
        int from = Integer.parseInt(cursor);
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        int to = Math.min(all.size(), from + limit);
        StringBuilder body = new StringBuilder("{\"records\": [");
        for (int i = from; i < to; i++) {
            body.append(i > from ? "," : "").append(all.get(i));
        }
        body.append("], \"nextCursor\": ").append(to < all.size() ? "\"" + to + "\"" : "null")
                .append(", \"watermark\": \"").append(watermark).append("\"}");
        served.addAndGet(to - from);
        respond(ex, 200, body.toString());
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
