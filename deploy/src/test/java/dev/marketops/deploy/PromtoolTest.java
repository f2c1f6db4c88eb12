package dev.marketops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules (deploy/helm/marketops/rules/marketops.rules.yml) and the local Prometheus's
 * configuration checked by promtool, and the rules' unit tests (deploy/prometheus/tests) run by it:
 * among them a stuck listing batch and a lagging supplier that must fire. promtool comes with
 * Debian's {@code prometheus} package, which deploy/local/infra.sh installs.
 */
class PromtoolTest {

    static final Path ROOT = ChartTest.ROOT;
    static final Path RULES = ROOT.resolve("deploy/helm/marketops/rules/marketops.rules.yml");
    static final Path TESTS = ROOT.resolve("deploy/prometheus/tests/marketops.test.yml");

    static String promtool;

    @BeforeAll
    static void findPromtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                promtool = Path.of(dir, "promtool").toString();
                return;
            }
        }
        fail("promtool is not installed: it comes with Debian's prometheus package "
                + "(apt-get install prometheus, or deploy/local/infra.sh up, which installs it)");
    }

    record Run(int exit, String output) {
    }

    static Run promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theRulesFileIsValid() throws Exception {
        Run r = promtool(ROOT, "check", "rules", RULES.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void theRuleUnitTestsPass() throws Exception {
        Run r = promtool(TESTS.getParent(), "test", "rules", TESTS.getFileName().toString());
        assertEquals(0, r.exit(), r.output());
    }

    /**
     * The unit tests can fail: with the stuck-batch and supplier-lag thresholds doubled, the cases
     * that expect those alerts to fire do.
     */
    @Test
    void theUnitTestsCatchAWeakenedRule(@TempDir Path tmp) throws Exception {
        String rules = Files.readString(RULES);
        String weakened = rules.replace("{operation_type=\"listing_upload\"}) > 1800", "{operation_type=\"listing_upload\"}) > 3600")
                .replace("(listing_supplier_sync_lag_seconds) > 900", "(listing_supplier_sync_lag_seconds) > 1800");
        assertNotEquals(rules, weakened, "the thresholds to weaken were not found");
        Files.writeString(tmp.resolve("weakened.rules.yml"), weakened);
        Files.writeString(tmp.resolve("weakened.test.yml"), Files.readString(TESTS)
                .replace("../../helm/marketops/rules/marketops.rules.yml", "weakened.rules.yml"));
        Run r = promtool(tmp, "test", "rules", "weakened.test.yml");
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("MarketOpsListingBatchStuck"), r.output());
        assertTrue(r.output().contains("MarketOpsSupplierSyncLag"), r.output());
    }

    /** The configuration `platform.sh up --with-prometheus` writes: every service's management port, the rules. */
    @Test
    void theLocalPrometheusConfigurationIsValid(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("bash", ROOT.resolve("deploy/local/platform.sh").toString(), "prometheus-config", tmp.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Path config = tmp.resolve("prometheus.yml");
        String yml = Files.readString(config);
        for (int port = 7081; port <= 7088; port++) {
            assertTrue(yml.contains("127.0.0.1:" + port), "management port " + port + " in\n" + yml);
        }
        Run r = promtool(tmp, "check", "config", config.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(yml.contains(RULES.toString()), "the rules file is loaded:\n" + yml);
        assertTrue(r.output().contains("SUCCESS: 1 rule files found"), r.output());
    }
}
