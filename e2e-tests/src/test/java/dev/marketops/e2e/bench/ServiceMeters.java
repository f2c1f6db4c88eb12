package dev.marketops.e2e.bench;

import dev.marketops.platform.testing.Scrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the fleet's services say about themselves while a benchmark runs: their timers on
 * /q/metrics (every {@code *_seconds_sum} and {@code _count}, read before and after a run, so a
 * figure can be broken down by the stages the services time themselves), and each service's
 * peak heap (jvm_memory_used_bytes, area heap) and peak resident set (VmHWM of its process, read
 * from /proc by the pid file platform.sh writes).
 */
final class ServiceMeters {

    /** name and management port, as deploy/local/platform.sh starts them. */
    static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("config-service", 7086);
        SERVICES.put("listing-service", 7081);
        SERVICES.put("audit-service", 7082);
        SERVICES.put("publish-service", 7083);
        SERVICES.put("batch-operation-service", 7084);
        SERVICES.put("supplier-sync-service", 7085);
        SERVICES.put("maintenance-service", 7087);
        SERVICES.put("search-service", 7088);
        // The second instances platform.sh starts with MARKETOPS_REPLICAS (ports + its REPLICA_OFFSET, 200); absent ones answer nothing.
        for (var e : List.copyOf(SERVICES.entrySet())) {
            SERVICES.put(e.getKey() + "-2", e.getValue() + 200);
        }
    }

    static final Path PIDS = Path.of(System.getProperty("bench.services-dir", "../.local/services"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> peakHeap = new ConcurrentHashMap<>();
    private volatile Thread sampler;

    /** Timer totals of one service at one instant: series (name and labels) -> {seconds, count}. */
    record Timers(Map<String, double[]> series) {
    }

    /** The service's timers, summed over its instances (its replica's too, when one runs). */
    Timers timers(String service) {
        Map<String, double[]> out = new TreeMap<>();
        for (String instance : List.of(service, service + "-2")) {
            for (Scrape.Sample m : scrape(SERVICES.get(instance)).samples()) {
                String name = m.name();
                int field = name.endsWith("_seconds_sum") ? 0 : name.endsWith("_seconds_count") ? 1 : -1;
                if (field >= 0) {
                    String stem = name.substring(0, name.lastIndexOf('_'));
                    out.computeIfAbsent(stem + labels(m.labels()), k -> new double[2])[field] += m.value();
                }
            }
        }
        return new Timers(out);
    }

    private static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return b.append('}').toString();
    }

    /**
     * The timers that moved between two readings, largest first: "name{labels}  total s  (count, mean ms)",
     * those of at least {@code minSeconds} only.
     */
    static List<String> moved(Timers before, Timers after, double minSeconds, int max) {
        List<Map.Entry<String, double[]>> d = new ArrayList<>();
        after.series().forEach((k, v) -> {
            double[] b = before.series().getOrDefault(k, new double[2]);
            double s = v[0] - b[0];
            double n = v[1] - b[1];
            if (s >= minSeconds) {
                d.add(Map.entry(k, new double[] {s, n}));
            }
        });
        d.sort((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]));
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : d.subList(0, Math.min(max, d.size()))) {
            double s = e.getValue()[0];
            double n = e.getValue()[1];
            out.add(String.format("%8.3f s  %8d calls  %9.2f ms each  %s", s, (long) n, n == 0 ? 0 : s * 1000 / n, e.getKey()));
        }
        return out;
    }

    /** Starts sampling every service's heap twice a second until {@link #stop}. */
    void start() {
        peakHeap.clear();
        for (String s : SERVICES.keySet()) {
            resetPeakRss(s);
        }
        sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                SERVICES.keySet().parallelStream().forEach(s -> peakHeap.merge(s, heap(s), Math::max));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops sampling; per service "heap peak MB / RSS peak MB". */
    Map<String, long[]> stop() {
        Thread t = sampler;
        if (t != null) {
            t.interrupt();
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String s : SERVICES.keySet()) {
            out.put(s, new long[] {peakHeap.getOrDefault(s, 0L), peakRss(s)});
        }
        return out;
    }

    static String describe(Map<String, long[]> peaks) {
        StringBuilder b = new StringBuilder();
        peaks.forEach((s, v) -> {
            if (v[0] > 0 || v[1] > 0) {
                b.append(String.format("%s %d/%d", s.replace("-service", ""), v[0] >> 20, v[1] >> 20)).append("  ");
            }
        });
        return b.toString().trim();
    }

    long heap(String service) {
        return (long) scrape(SERVICES.get(service)).sum("jvm_memory_used_bytes", "area", "heap");
    }

    /** The service's /q/metrics, empty when it does not answer. */
    private Scrape scrape(int port) {
        String body = "";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            body = r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            // not running or not answering: no samples
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Scrape.parse(body);
    }

    /**
     * CPU seconds (user + system) every process on the machine has used so far, summed per owner:
     * each service by its pid file, then PostgreSQL (every backend), Kafka, OpenSearch, Keycloak,
     * the benchmark's own JVM, and the rest. Read before and after a run, the difference says who
     * used the two cores meanwhile (a backend that exited during the run is not counted).
     */
    static Map<String, Double> cpuSeconds() {
        Map<Long, String> services = new java.util.HashMap<>();
        SERVICES.keySet().forEach(s -> {
            Long pid = pid(s);
            if (pid != null) {
                services.put(pid, s.replace("-service", ""));
            }
        });
        long self = ProcessHandle.current().pid();
        Map<String, Double> out = new TreeMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks
                    long pid = Long.parseLong(name);
                    out.merge(owner(pid, self, services, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')), d), seconds,
                            Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    private static String owner(long pid, long self, Map<Long, String> services, String comm, Path proc) throws IOException {
        if (services.containsKey(pid)) {
            return services.get(pid);
        }
        if (pid == self) {
            return "bench";
        }
        if (comm.startsWith("postgres")) {
            return "postgres";
        }
        String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), java.nio.charset.StandardCharsets.ISO_8859_1);
        return cmd.contains("kafka.Kafka") ? "kafka" : cmd.contains("opensearch") ? "opensearch"
                : cmd.contains("keycloak") ? "keycloak" : cmd.contains("nginx") ? "nginx" : "other";
    }

    /** "owner seconds" per owner that used at least 0.05 s between two readings, largest first. */
    static String cpuUsed(Map<String, Double> before, Map<String, Double> after) {
        List<Map.Entry<String, Double>> d = new ArrayList<>();
        after.forEach((k, v) -> {
            double used = v - before.getOrDefault(k, 0.0);
            if (used >= 0.05) {
                d.add(Map.entry(k, used));
            }
        });
        d.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        StringBuilder b = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> e : d) {
            b.append(String.format("%s %.1f  ", e.getKey(), e.getValue()));
            total += e.getValue();
        }
        return String.format("cpu s (total %.1f): %s", total, b.toString().trim());
    }

    /** Writing 5 to /proc/PID/clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
    private static void resetPeakRss(String service) {
        Long pid = pid(service);
        if (pid != null) {
            try {
                Files.writeString(Path.of("/proc", pid.toString(), "clear_refs"), "5");
            } catch (IOException | SecurityException e) {
                // not ours to reset: the peak then covers the process's whole life
            }
        }
    }

    private static long peakRss(String service) {
        Long pid = pid(service);
        if (pid == null) {
            return 0;
        }
        try {
            for (String l : Files.readAllLines(Path.of("/proc", pid.toString(), "status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static Long pid(String service) {
        try {
            return Long.parseLong(Files.readString(PIDS.resolve(service + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
