package dev.marketops.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Logs in through the local Keycloak, as people and services do: the end-to-end suite and the
 * benchmarks never sign their own tokens. Users {@code ROLE-UID} are created on first use by
 * {@code deploy/local/platform.sh token} (one implementation for scripts and tests).
 */
public final class Logins {

    static final String REALM = System.getProperty("e2e.keycloak", "http://127.0.0.1:8180/realms/marketops");
    private static final Path REPO = findRepo();
    private static final Map<String, String[]> CACHE = new ConcurrentHashMap<>();
    private static final long REUSE_MILLIS = TimeUnit.MINUTES.toMillis(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Logins() {
    }

    /** "Bearer ..." for user ROLE-UID with that realm role (merchant users: merchant_id = uid). */
    public static String bearer(String role, long uid) {
        return "Bearer " + token(role, uid);
    }

    public static String token(String role, long uid) {
        return cached(role + "-" + uid, () -> script("token", role, Long.toString(uid)));
    }

    /** A client-credentials token of a confidential client (svc-listing, supplier-hotel, ...). */
    public static String serviceToken(String client) {
        return cached("client:" + client, () -> script("service-token", client));
    }

    /** A real Keycloak token (sample user operator) that expires 2 s after it is issued. */
    public static String shortLived() {
        return password("marketops-expiry-probe", "operator");
    }

    static String password(String client, String username) {
        String form = "grant_type=password&client_id=" + enc(client) + "&username=" + enc(username)
                + "&password=" + enc(secret("SAMPLE_USER_PASSWORD"));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(REALM + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("login of " + username + " via " + client + " refused: " + r.body());
            }
            return m.group(1);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Keycloak unreachable at " + REALM, e);
        }
    }

    private interface Fetch {
        String get() throws Exception;
    }

    private static String cached(String key, Fetch fetch) {
        String[] hit = CACHE.get(key);
        if (hit != null && System.currentTimeMillis() - Long.parseLong(hit[1]) < REUSE_MILLIS) {
            return hit[0];
        }
        try {
            String t = fetch.get();
            CACHE.put(key, new String[] {t, Long.toString(System.currentTimeMillis())});
            return t;
        } catch (Exception e) {
            throw new IllegalStateException("no token for " + key, e);
        }
    }

    private static String script(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = REPO.resolve("deploy/local/platform.sh").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
        return out;
    }

    static String secret(String name) {
        Path env = Path.of(System.getProperty("e2e.keycloak.secrets",
                Path.of(System.getenv().getOrDefault("MARKETOPS_HOME", REPO.resolve(".local").toString()), "keycloak", "secrets.env").toString()));
        try {
            for (String line : Files.readAllLines(env)) {
                if (line.startsWith(name + "=")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(env + " unreadable: start Keycloak with deploy/local/infra.sh keycloak-up", e);
        }
        throw new IllegalStateException(name + " not in " + env);
    }

    private static Path findRepo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy/local/platform.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("deploy/local/platform.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
