package dev.marketops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart in deploy/helm/marketops: lints strictly, renders for the default values and a
 * production values file, and what it renders is parsed strictly and checked against the seed's
 * topology (main seed 9.7) and against the code (every worker switch, consumer group, topic and
 * gateway route the services and deploy/local have).
 */
class ChartTest {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path CHART = ROOT.resolve("deploy/helm/marketops");

    /** Main seed 9.7.1 (26) + BatchStatusWorker (004): type -> {replicas, cpu, memory} of 9.7.2 and 9.7.4. */
    static final Map<String, Object[]> SEED = new LinkedHashMap<>();

    static {
        // Pod 1, core listing workers: 2 cores 4 GB (BatchPublishWorker: same group, 3 like BatchAuditWorker)
        seed("ExcelParseWorker", 3, "2", "4Gi");
        seed("AuditWorker", 5, "2", "4Gi");
        seed("PublishWorker", 5, "2", "4Gi");
        seed("BatchAuditWorker", 3, "2", "4Gi");
        seed("BatchPublishWorker", 3, "2", "4Gi");
        // Pod 4, unified batch operations: 1 core 2 GB (BatchStatusWorker as ItemBatchEditWorker)
        seed("PriceUpdateWorker", 3, "1", "2Gi");
        seed("InventoryUpdateWorker", 3, "1", "2Gi");
        seed("VoucherCodeImportWorker", 2, "1", "2Gi");
        seed("ItemBatchEditWorker", 2, "1", "2Gi");
        seed("BatchStatusWorker", 2, "1", "2Gi");
        // Pod 3, supplier sync: 1 core 2 GB
        seed("SupplierPullWorker", 2, "1", "2Gi");
        seed("SupplierPushConsumer", 3, "1", "2Gi");
        seed("SupplierSyncMonitorWorker", 1, "1", "2Gi");
        seed("SupplierDataCleanWorker", 1, "1", "2Gi");
        // Pod 2, data sync: 1 core 2 GB
        seed("CacheSyncWorker", 3, "1", "2Gi");
        seed("ESSyncWorker", 2, "1", "2Gi");
        seed("NotificationWorker", 2, "1", "2Gi");
        seed("StatisticsWorker", 1, "1", "2Gi");
        // config 0.5 core 1 GB; event publishing 0.5 core 1 GB
        seed("ConfigPublishWorker", 1, "500m", "1Gi");
        seed("OutboxPublisher", 1, "500m", "1Gi");
        seed("DeadLetterQueueWorker", 1, "500m", "1Gi");
        // Pod 5, maintenance (single replica): 0.5 core 1 GB
        seed("WatchdogWorker", 1, "500m", "1Gi");
        seed("DataReconciliationWorker", 1, "500m", "1Gi");
        seed("DataArchiveWorker", 1, "500m", "1Gi");
        seed("TableShardingWorker", 1, "500m", "1Gi");
        seed("DeletedTableCleanupWorker", 1, "500m", "1Gi");
        seed("DataCleanupWorker", 1, "500m", "1Gi");
    }

    private static void seed(String type, int replicas, String cpu, String memory) {
        SEED.put(type, new Object[] {replicas, cpu, memory});
    }

    static JsonNode values;
    static List<Manifests.Doc> defaults;
    static List<Manifests.Doc> production;
    /** helm template leaves hooks out: the Flyway Jobs rendered as plain resources (migrations.hooks=false). */
    static List<Manifests.Doc> withoutHooks;

    @BeforeAll
    static void render() throws Exception {
        values = Manifests.YAML.readTree(CHART.resolve("values.yaml").toFile());
        defaults = Manifests.parse(template(null));
        production = Manifests.parse(template(CHART.resolve("ci/production-values.yaml")));
        // what was rendered, for a look (target/helm/*.yaml)
        Path out = Path.of("target/helm");
        Files.createDirectories(out);
        Files.writeString(out.resolve("default.yaml"), template(null));
        Files.writeString(out.resolve("production.yaml"), template(CHART.resolve("ci/production-values.yaml")));
        withoutHooks = Manifests.parse(template(null, Map.of("migrations.hooks", false)));
    }

    private static String template(Path valuesFile) {
        return template(valuesFile, Map.of());
    }

    private static String template(Path valuesFile, Map<String, Object> set) {
        var t = new Helm(CHART).template().withName("marketops").withNamespace("marketops").withKubeVersion("1.31.0");
        if (valuesFile != null) {
            t = t.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            t = t.set(e.getKey(), e.getValue());
        }
        return t.call();
    }

    @Test
    void theStrictParseRefusesFieldsTheApiTypesDoNotHave() {
        AssertionError typed = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Manifests.parse(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: 1\n  template:\n    spec:\n"
                        + "      containers: [{name: c, image: i, readinesProbe: {httpGet: {path: /, port: 1}}}]\n"));
        assertTrue(typed.getMessage().contains("readinesProbe"), typed.getMessage());
        AssertionError custom = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Manifests.parse(
                "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\nspec: {scaleTargetRef: {name: x}, minReplicas: 1}\n"));
        assertTrue(custom.getMessage().contains("minReplicas"), custom.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Manifests.parse(
                "apiVersion: example.com/v1\nkind: Unknown\nmetadata: {name: x}\n"));
    }

    @Test
    void lintsStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        lint.getMessages().forEach(m -> System.out.println("helm lint: " + m));
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                String.join("\n", lint.getMessages()));
    }

    @Test
    void theValuesListTheSeeds27WorkerTypesOnceWithTheirNumbers() {
        Map<String, Integer> seedNumbers = new TreeMap<>();
        values.get("workers").fields().forEachRemaining(e -> {
            int n = e.getValue().path("seed").asInt(-1);
            if (n > 0) {
                seedNumbers.put(e.getKey(), n);
            }
        });
        assertEquals(new TreeSet<>(SEED.keySet()), seedNumbers.keySet());
        assertEquals(27, new HashSet<>(seedNumbers.values()).size(), "seed numbers 1..27, each once: " + seedNumbers);
    }

    @Test
    void defaultRenderHasEveryWorkerTypeOnceWithTheSeedsReplicasAndResources() {
        checkTopology(defaults, true);
    }

    @Test
    void productionRenderKeepsTheTopology() {
        checkTopology(production, false);
    }

    private void checkTopology(List<Manifests.Doc> docs, boolean seedDefaults) {
        Map<String, List<Deployment>> byType = new HashMap<>();
        List<Deployment> apis = new ArrayList<>();
        for (Deployment d : deployments(docs)) {
            String type = d.getMetadata().getAnnotations().getOrDefault("marketops.dev/worker-type", "");
            if ("static-origin".equals(d.getMetadata().getAnnotations().get("marketops.dev/kind"))) {
                continue;
            }
            if (type.isEmpty()) {
                apis.add(d);
            } else {
                byType.computeIfAbsent(type, k -> new ArrayList<>()).add(d);
            }
        }
        for (String type : SEED.keySet()) {
            Object[] seed = SEED.get(type);
            if ("embedded".equals(values.at("/workers/" + type + "/kind").asText())) {
                // OutboxPublisher: one per schema inside every event-emitting service's API Deployment
                assertFalse(byType.containsKey(type), type + " has no Deployment of its own");
                Set<String> embeddedIn = apis.stream().filter(d -> d.getMetadata().getAnnotations()
                        .getOrDefault("marketops.dev/embedded-workers", "").contains(type))
                        .map(d -> d.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
                Set<String> emitting = new TreeSet<>();
                values.get("services").fields().forEachRemaining(e -> {
                    if (e.getValue().path("outbox").asBoolean()) {
                        emitting.add(e.getKey());
                    }
                });
                assertEquals(emitting, embeddedIn, type + " runs in the API Deployments of the services that emit events");
                for (Deployment api : apis) {
                    assertEquals(String.valueOf(emitting.contains(api.getMetadata().getName())), env(api, "MARKETOPS_OUTBOX_ENABLED"),
                            api.getMetadata().getName());
                }
                continue;
            }
            List<Deployment> found = byType.getOrDefault(type, List.of());
            assertEquals(1, found.size(), type + " must be exactly one Deployment, found " + found.size());
            Deployment d = found.get(0);
            if (seedDefaults) {
                assertEquals(seed[0], d.getSpec().getReplicas(), type + " replicas");
                Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                for (String side : List.of("requests", "limits")) {
                    Map<String, Quantity> r = side.equals("requests") ? c.getResources().getRequests() : c.getResources().getLimits();
                    assertEquals(Quantity.parse((String) seed[1]).getNumericalAmount(), r.get("cpu").getNumericalAmount(), type + " cpu " + side);
                    assertEquals(Quantity.parse((String) seed[2]).getNumericalAmount(), r.get("memory").getNumericalAmount(), type + " memory " + side);
                }
            }
        }
        // every worker Deployment runs its own switch and no other worker of its service
        for (Map.Entry<String, List<Deployment>> e : byType.entrySet()) {
            for (Deployment d : e.getValue()) {
                String own = "MARKETOPS_WORKERS_" + values.at("/workers/" + e.getKey() + "/switch").asText().toUpperCase().replace('-', '_') + "_ENABLED";
                List<String> on = switchesOn(d);
                assertEquals(List.of(own), on, d.getMetadata().getName() + " switches on");
                assertEquals("false", env(d, "MARKETOPS_OUTBOX_ENABLED"), d.getMetadata().getName());
            }
        }
        // and the API Deployments run without workers
        for (Deployment api : apis) {
            assertEquals(List.of(), switchesOn(api), api.getMetadata().getName() + " (API) switches on");
            assertTrue(env(api, "MARKETOPS_BATCH_ROUTER_ENABLED") == null || "false".equals(env(api, "MARKETOPS_BATCH_ROUTER_ENABLED")));
        }
        assertEquals(8, apis.size(), "one API Deployment per service");
    }

    @Test
    void everyDeploymentHasProbesResourcesGraceSecurityScrapeAndAPdb() {
        for (List<Manifests.Doc> docs : List.of(defaults, production)) {
            List<PodDisruptionBudget> pdbs = docs.stream().filter(d -> d.typed() instanceof PodDisruptionBudget)
                    .map(d -> (PodDisruptionBudget) d.typed()).toList();
            for (Deployment d : deployments(docs)) {
                String name = d.getMetadata().getName();
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                Container c = pod.getContainers().get(0);
                boolean staticOrigin = "static-origin".equals(d.getMetadata().getAnnotations().get("marketops.dev/kind"));
                probe(name, c.getStartupProbe(), staticOrigin ? "/healthz" : "/q/health/started");
                probe(name, c.getReadinessProbe(), staticOrigin ? "/healthz" : "/q/health/ready");
                probe(name, c.getLivenessProbe(), staticOrigin ? "/healthz" : "/q/health/live");
                for (String r : List.of("cpu", "memory")) {
                    assertNotNull(c.getResources().getRequests().get(r), name + " requests " + r);
                    assertNotNull(c.getResources().getLimits().get(r), name + " limits " + r);
                }
                // longer than Quarkus' graceful shutdown (config.shutdownTimeout) plus the preStop pause
                long shutdown = Long.parseLong(values.at("/config/shutdownTimeout").asText().replace("s", ""));
                assertTrue(staticOrigin || pod.getTerminationGracePeriodSeconds() > shutdown + 5, name + " terminationGracePeriodSeconds");
                assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name + " runAsNonRoot");
                assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), name + " readOnlyRootFilesystem");
                assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation(), name + " allowPrivilegeEscalation");
                assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), name + " has a writable /tmp");
                Map<String, String> podAnn = d.getSpec().getTemplate().getMetadata().getAnnotations();
                if (!staticOrigin) {
                    assertEquals("true", podAnn.get("prometheus.io/scrape"), name);
                    assertEquals("/q/metrics", podAnn.get("prometheus.io/path"), name);
                }
                Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
                assertTrue(d.getSpec().getSelector().getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey()))), name + " selector matches its pods");
                long covering = pdbs.stream().filter(p -> p.getSpec().getSelector().getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())))).count();
                assertEquals(1, covering, name + " is covered by exactly one PodDisruptionBudget");
            }
        }
    }

    @Test
    void everyReferencedConfigMapIsRenderedAndNoSecretValueIsInTheChart() {
        Set<String> external = new TreeSet<>();
        values.get("secrets").forEach(s -> external.add(s.get("name").asText()));
        for (List<Manifests.Doc> docs : List.of(defaults, production)) {
            assertTrue(docs.stream().noneMatch(d -> d.kind().equals("Secret")), "the chart renders no Secret (no secret values)");
            Set<String> configMaps = docs.stream().filter(d -> d.kind().equals("ConfigMap")).map(Manifests.Doc::name).collect(Collectors.toSet());
            Set<String> pvcs = docs.stream().filter(d -> d.kind().equals("PersistentVolumeClaim")).map(Manifests.Doc::name).collect(Collectors.toSet());
            Set<String> declared = new TreeSet<>(external);
            production.stream().filter(d -> d.kind().equals("Ingress")).forEach(d -> ((Ingress) d.typed()).getSpec().getTls()
                    .forEach(t -> declared.add(t.getSecretName())));
            for (Manifests.Doc doc : docs) {
                PodSpec pod = doc.typed() instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                        : doc.typed() instanceof Job j ? j.getSpec().getTemplate().getSpec() : null;
                if (pod == null) {
                    continue;
                }
                for (Container c : pod.getContainers()) {
                    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                        if (from.getConfigMapRef() != null) {
                            assertTrue(configMaps.contains(from.getConfigMapRef().getName()), doc.id() + " -> ConfigMap " + from.getConfigMapRef().getName());
                        }
                        if (from.getSecretRef() != null) {
                            assertTrue(declared.contains(from.getSecretRef().getName()), doc.id() + " -> Secret " + from.getSecretRef().getName());
                        }
                    }
                    for (EnvVar e : c.getEnv()) {
                        assertFalse(e.getName().contains("PASSWORD") && e.getValue() != null, doc.id() + " has a literal " + e.getName());
                        assertFalse(e.getName().contains("SECRET") && e.getValue() != null, doc.id() + " has a literal " + e.getName());
                        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                            assertTrue(declared.contains(e.getValueFrom().getSecretKeyRef().getName()), doc.id() + " -> Secret " + e.getValueFrom().getSecretKeyRef().getName());
                        }
                        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                            assertTrue(configMaps.contains(e.getValueFrom().getConfigMapKeyRef().getName()), doc.id());
                        }
                    }
                }
                for (Volume v : pod.getVolumes()) {
                    if (v.getConfigMap() != null) {
                        assertTrue(configMaps.contains(v.getConfigMap().getName()), doc.id() + " volume " + v.getName());
                    }
                    if (v.getSecret() != null) {
                        assertTrue(declared.contains(v.getSecret().getSecretName()), doc.id() + " volume " + v.getName());
                    }
                    if (v.getPersistentVolumeClaim() != null) {
                        assertTrue(pvcs.contains(v.getPersistentVolumeClaim().getClaimName()), doc.id() + " volume " + v.getName());
                    }
                }
            }
        }
    }

    @Test
    void noTwoDeploymentsConsumeTheSameTopicInTheSameGroupAndEachConsumerScalesOnLag() {
        for (List<Manifests.Doc> docs : List.of(defaults, production)) {
            Map<String, String> owner = new HashMap<>();
            Set<String> scaled = docs.stream().filter(d -> d.kind().equals("ScaledObject"))
                    .map(d -> d.tree().at("/spec/scaleTargetRef/name").asText()).collect(Collectors.toSet());
            for (Deployment d : deployments(docs)) {
                String consumes = d.getMetadata().getAnnotations().getOrDefault("marketops.dev/consumes", "");
                for (Map.Entry<String, Set<String>> g : consumerGroups(consumes).entrySet()) {
                    for (String topic : g.getValue()) {
                        String prev = owner.put(g.getKey() + " " + topic, d.getMetadata().getName());
                        assertEquals(null, prev, "group " + g.getKey() + " on " + topic + " in two Deployments: " + prev + ", " + d.getMetadata().getName());
                    }
                }
                if (!consumes.isEmpty() && !consumes.startsWith("batch-router-")) {
                    assertTrue(scaled.contains(d.getMetadata().getName()), d.getMetadata().getName() + " has a KEDA ScaledObject");
                }
            }
            for (Manifests.Doc so : docs.stream().filter(x -> x.kind().equals("ScaledObject")).toList()) {
                Deployment target = deployments(docs).stream().filter(d -> d.getMetadata().getName().equals(so.tree().at("/spec/scaleTargetRef/name").asText()))
                        .findFirst().orElseThrow(() -> new AssertionError(so.id() + " targets no Deployment"));
                assertEquals(target.getSpec().getReplicas().intValue(), so.tree().at("/spec/minReplicaCount").asInt(), so.id() + " never below the seed's replicas");
                assertTrue(so.tree().at("/spec/maxReplicaCount").asInt() >= target.getSpec().getReplicas(), so.id());
            }
        }
    }

    /** The code's side: what each service's application.properties and @Scheduled classes say. */
    @Test
    void everyWorkerSwitchConsumerGroupAndTopicInTheCodeIsInTheChart() throws IOException {
        Map<String, JsonNode> bySwitch = new HashMap<>();
        values.get("workers").fields().forEachRemaining(e -> bySwitch.put(e.getValue().get("switch").asText(), e.getValue()));
        Set<String> topics = defaults.stream().filter(d -> d.kind().equals("KafkaTopic")).map(Manifests.Doc::name).collect(Collectors.toSet());
        Set<String> switchesInCode = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String service : serviceModules()) {
            Properties p = properties(service);
            Pattern sw = Pattern.compile("marketops\\.workers\\.([a-z0-9-]+)\\.enabled");
            for (String key : p.stringPropertyNames()) {
                Matcher m = sw.matcher(key);
                if (m.matches()) {
                    switchesInCode.add(m.group(1));
                    JsonNode w = bySwitch.get(m.group(1));
                    if (w == null || !service.equals(w.path("service").asText())) {
                        problems.add(service + " declares worker switch " + key + " but the chart has no worker with switch " + m.group(1) + " in " + service);
                    }
                }
            }
            // every Kafka consumer channel is some worker's, with the chart's group and topics
            Pattern channel = Pattern.compile("mp\\.messaging\\.incoming\\.([a-z0-9-]+)\\.connector");
            for (String key : p.stringPropertyNames()) {
                Matcher m = channel.matcher(key);
                if (!m.matches()) {
                    continue;
                }
                String ch = m.group(1);
                String prefix = "mp.messaging.incoming." + ch + ".";
                String enabled = p.getProperty(prefix + "enabled", "");
                Matcher bound = Pattern.compile("\\$\\{marketops\\.workers\\.([a-z0-9-]+)\\.enabled}").matcher(enabled);
                String topicList = p.getProperty(prefix + "topics", p.getProperty(prefix + "topic", ""));
                List<String> chTopics = Stream.of(topicList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                boolean pattern = "true".equals(p.getProperty(prefix + "pattern"));
                for (String t : chTopics) {
                    if (!pattern && !topics.contains(t)) {
                        problems.add(service + " channel " + ch + " consumes " + t + ", which is no KafkaTopic of the chart");
                    }
                }
                String dlq = p.getProperty(prefix + "dead-letter-queue.topic");
                if (dlq != null && !topics.contains(dlq)) {
                    problems.add(service + " channel " + ch + " dead-letters to " + dlq + ", which is no KafkaTopic of the chart");
                }
                if (enabled.equals("${marketops.batch.router.enabled}")) {
                    continue; // operation.batch.created: one group per batch worker Deployment (the chart sets it)
                }
                if (!bound.matches()) {
                    problems.add(service + " channel " + ch + " has no worker switch (mp.messaging.incoming." + ch + ".enabled=${marketops.workers.<switch>.enabled})");
                    continue;
                }
                JsonNode w = bySwitch.get(bound.group(1));
                if (w == null) {
                    continue; // reported above
                }
                String group = p.getProperty(prefix + "group.id");
                Set<String> chartTopics = new HashSet<>();
                w.path("consumes").forEach(c -> {
                    if (c.path("group").asText().equals(group)) {
                        c.path("topics").forEach(t -> chartTopics.add(t.asText()));
                    }
                });
                Set<String> want = pattern ? Set.of(topicList.replace(".*\\.dlq", "*.dlq").replace(".*\\\\.dlq", "*.dlq")) : new HashSet<>(chTopics);
                if (!chartTopics.equals(want)) {
                    problems.add(service + " channel " + ch + " (group " + group + ") consumes " + want + " but the chart's " + bound.group(1) + " says " + chartTopics);
                }
            }
        }
        // @Scheduled code carries a worker switch, or is named in alwaysOn
        Set<String> alwaysOn = new HashSet<>();
        values.get("alwaysOn").forEach(a -> alwaysOn.add(a.get("service").asText() + "/" + a.get("class").asText()));
        for (String service : serviceModules()) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(service).resolve("src/main/java"))) {
                for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                    String src = Files.readString(f);
                    String cls = f.getFileName().toString().replace(".java", "");
                    Matcher m = Pattern.compile("\"marketops\\.workers\\.([a-z0-9-]+)\\.enabled\"").matcher(src);
                    boolean hasSwitch = false;
                    while (m.find()) {
                        hasSwitch = true;
                        switchesInCode.add(m.group(1));
                        JsonNode w = bySwitch.get(m.group(1));
                        if (w == null || !service.equals(w.path("service").asText())) {
                            problems.add(service + "/" + cls + " reads worker switch " + m.group(1) + ", which is no worker of " + service + " in the chart");
                        }
                    }
                    if (src.contains("@Scheduled(") && !hasSwitch && !alwaysOn.contains(service + "/" + cls)) {
                        problems.add(service + "/" + cls + " is @Scheduled without a worker switch and is not in the chart's alwaysOn");
                    }
                }
            }
        }
        // workers the chart says are in the code have their switch there (OutboxPublisher: marketops.outbox.enabled)
        values.get("workers").fields().forEachRemaining(e -> {
            String s = e.getValue().get("switch").asText();
            if (e.getValue().path("inCode").asBoolean() && !"embedded".equals(e.getValue().path("kind").asText()) && !switchesInCode.contains(s)) {
                problems.add(e.getKey() + " is inCode: true but no service declares marketops.workers." + s + ".enabled");
            }
            if (!e.getValue().path("inCode").asBoolean() && switchesInCode.contains(s)) {
                System.out.println("note: " + e.getKey() + " is in the code now (switch " + s + "): set inCode: true in values.yaml");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyWorkerSwitchOfTheBatchServiceMapsToItsOperationTypes() throws IOException {
        String workers = Files.readString(ROOT.resolve("batch-operation-service/src/main/java/dev/marketops/batch/worker/BatchWorkers.java"));
        Matcher m = Pattern.compile("case \"([A-Z_]+)\" -> \"([a-z-]+)\"").matcher(workers);
        Map<String, String> code = new TreeMap<>();
        while (m.find()) {
            code.put(m.group(1).toLowerCase(), m.group(2));
        }
        Map<String, String> chart = new TreeMap<>();
        values.get("workers").fields().forEachRemaining(e -> e.getValue().path("batchOperations")
                .forEach(op -> chart.put(op.asText(), e.getValue().get("switch").asText())));
        code.forEach((op, sw) -> assertEquals(sw, chart.get(op), "operation type " + op));
        assertEquals("item-batch-edit-worker", chart.get("item_edit"), "operation types without a row run in ItemBatchEditWorker");
    }

    @Test
    void everyTopicHasAKafkaTopicWithPartitionsAndRetentionAndTheInfrastructureIsOperatorManaged() {
        Map<String, JsonNode> topics = defaults.stream().filter(d -> d.kind().equals("KafkaTopic"))
                .collect(Collectors.toMap(Manifests.Doc::name, Manifests.Doc::tree));
        values.get("workers").forEach(w -> w.path("consumes").forEach(c -> c.path("topics").forEach(t -> {
            if (!t.asText().contains("*")) {
                assertTrue(topics.containsKey(t.asText()), "topic " + t.asText());
            }
        })));
        topics.forEach((name, t) -> {
            assertTrue(t.at("/spec/partitions").asInt() > 0, name);
            assertTrue(t.at("/spec/config/retention.ms").asLong() > 0, name);
            assertEquals("marketops-kafka", t.at("/metadata/labels/strimzi.io~1cluster").asText(), name);
        });
        assertTrue(topics.keySet().stream().filter(n -> n.endsWith(".dlq")).count() >= 12, "every consumed topic's .dlq");
        Set<String> kinds = defaults.stream().map(Manifests.Doc::kind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Kafka", "KafkaNodePool", "Cluster", "Redis", "OpenSearchCluster", "PrometheusRule", "HTTPRoute", "Ingress")), kinds.toString());
        Set<String> prodKinds = production.stream().map(Manifests.Doc::kind).collect(Collectors.toSet());
        assertFalse(prodKinds.contains("Redis") || prodKinds.contains("OpenSearchCluster"), "an existing Redis / OpenSearch can be used instead");
        assertTrue(prodKinds.contains("PodMonitor"));
    }

    @Test
    void thePrometheusRuleCarriesTheRulesFilePromtoolTests() throws IOException {
        Map<String, JsonNode> expected = alerts(Manifests.YAML.readTree(CHART.resolve("rules/marketops.rules.yml").toFile()).path("groups"));
        JsonNode rule = defaults.stream().filter(d -> d.kind().equals("PrometheusRule")).findFirst().orElseThrow().tree();
        Map<String, JsonNode> rendered = alerts(rule.at("/spec/groups"));
        assertTrue(expected.size() >= 20, "rules file: " + expected.keySet());
        expected.forEach((name, r) -> assertEquals(r, rendered.get(name), name));
        assertEquals(expected.size() + 1, rendered.size(), rendered.keySet().toString()); // + MarketOpsWorkerDown
        assertTrue(rendered.get("MarketOpsWorkerDown").path("expr").asText().contains("namespace=\"marketops\""),
                rendered.get("MarketOpsWorkerDown").toString());
        // Alert templates reach Prometheus as written (the file is embedded, not rendered by Helm).
        assertEquals("supplier {{ $labels.supplier_id }} ({{ $labels.mode }}) is more than 15 minutes behind",
                rendered.get("MarketOpsSupplierSyncLag").at("/annotations/summary").asText());
    }

    private static Map<String, JsonNode> alerts(JsonNode groups) {
        Map<String, JsonNode> out = new TreeMap<>();
        groups.forEach(g -> g.path("rules").forEach(r -> assertNull(out.put(r.path("alert").asText(), r), "two alerts named " + r.path("alert"))));
        return out;
    }

    @Test
    void theGatewayHasTheLocalNginxRoutes() throws IOException {
        String conf = Files.readString(ROOT.resolve("deploy/local/nginx/gateway.conf"));
        Map<String, Integer> upstreams = new HashMap<>();
        Matcher up = Pattern.compile("upstream (\\w+) \\{ server 127\\.0\\.0\\.1:(\\d+);").matcher(conf);
        while (up.find()) {
            upstreams.put(up.group(1), Integer.parseInt(up.group(2)));
        }
        Map<String, Integer> local = new TreeMap<>();
        Matcher loc = Pattern.compile("location (/api/[a-z-]+/)\\s+\\{[^}]*proxy_pass http://(\\w+)/;").matcher(conf);
        while (loc.find()) {
            local.put(loc.group(1), upstreams.get(loc.group(2)));
        }
        assertFalse(local.isEmpty());
        Set<String> localStatic = new TreeSet<>();
        Matcher st = Pattern.compile("location (/static/[a-z/-]+/) \\{").matcher(conf);
        while (st.find()) {
            localStatic.add(st.group(1));
        }
        for (List<Manifests.Doc> docs : List.of(defaults, production)) {
            Map<String, Integer> ports = new HashMap<>();
            docs.stream().filter(d -> d.kind().equals("Service")).forEach(d -> ports.put(d.name(),
                    ((io.fabric8.kubernetes.api.model.Service) d.typed()).getSpec().getPorts().get(0).getPort()));
            Map<String, Integer> ingress = new TreeMap<>();
            Set<String> ingressStatic = new TreeSet<>();
            for (Manifests.Doc d : docs.stream().filter(x -> x.kind().equals("Ingress")).toList()) {
                ((Ingress) d.typed()).getSpec().getRules().forEach(r -> r.getHttp().getPaths().forEach(p -> {
                    if (p.getPath().startsWith("/static/")) {
                        ingressStatic.add(p.getPath());
                    } else {
                        ingress.put(p.getPath().replace("(/|$)(.*)", "/"), ports.get(p.getBackend().getService().getName()));
                    }
                }));
            }
            assertEquals(local, ingress, "Ingress routes");
            assertEquals(localStatic, ingressStatic, "static routes of the local gateway");
            Map<String, Integer> route = new TreeMap<>();
            for (Manifests.Doc d : docs.stream().filter(x -> x.kind().equals("HTTPRoute")).toList()) {
                for (HTTPRouteRule r : ((HTTPRoute) d.typed()).getSpec().getRules()) {
                    String prefix = r.getMatches().get(0).getPath().getValue();
                    if (prefix.startsWith("/static/")) {
                        assertTrue(localStatic.contains(prefix), prefix);
                        continue;
                    }
                    assertEquals("/", r.getFilters().get(0).getUrlRewrite().getPath().getReplacePrefixMatch(), prefix + " strips its prefix");
                    route.put(prefix, r.getBackendRefs().get(0).getPort());
                }
            }
            assertEquals(local, route, "HTTPRoute routes");
        }
    }

    @Test
    void migrationsRunOncePerReleaseBeforeTheRolloutAndPodsDoNotMigrate() throws IOException {
        String template = Files.readString(CHART.resolve("templates/migrations.yaml"));
        assertTrue(template.contains("helm.sh/hook: pre-upgrade,post-install"), "Flyway Jobs are Helm hooks by default");
        assertTrue(withoutHooks.stream().allMatch(d -> !d.kind().equals("Deployment") || defaults.stream().anyMatch(x -> x.id().equals(d.id()))));
        List<Job> jobs = withoutHooks.stream().filter(d -> d.typed() instanceof Job).map(d -> (Job) d.typed()).toList();
        assertEquals(8, jobs.size(), "one Flyway Job per service schema");
        for (Job j : jobs) {
            Map<String, String> a = j.getMetadata().getAnnotations();
            assertEquals("PreSync", a.get("argocd.argoproj.io/hook"), j.getMetadata().getName());
            Container c = j.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("true", envOf(c, "QUARKUS_INIT_AND_EXIT"));
            assertEquals("true", envOf(c, "QUARKUS_FLYWAY_MIGRATE_AT_START"));
        }
        JsonNode common = defaults.stream().filter(d -> d.name().equals("marketops-common")).findFirst().orElseThrow().tree();
        assertEquals("false", common.at("/data/QUARKUS_FLYWAY_MIGRATE_AT_START").asText());
        assertEquals("true", common.at("/data/QUARKUS_FLYWAY_VALIDATE_AT_START").asText());
    }

    // --- helpers

    static List<Deployment> deployments(List<Manifests.Doc> docs) {
        return docs.stream().filter(d -> d.typed() instanceof Deployment).map(d -> (Deployment) d.typed()).toList();
    }

    static Map<String, Set<String>> consumerGroups(String annotation) {
        Map<String, Set<String>> out = new TreeMap<>();
        if (annotation.isEmpty()) {
            return out;
        }
        for (String part : annotation.split(";")) {
            String[] gt = part.split("=", 2);
            out.put(gt[0], new TreeSet<>(List.of(gt[1].split(","))));
        }
        return out;
    }

    static List<String> switchesOn(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().startsWith("MARKETOPS_WORKERS_") && "true".equals(e.getValue()))
                .map(EnvVar::getName).toList();
    }

    static String env(Deployment d, String name) {
        return envOf(d.getSpec().getTemplate().getSpec().getContainers().get(0), name);
    }

    static String envOf(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static void probe(String name, Probe p, String path) {
        assertNotNull(p, name + " probe " + path);
        assertEquals(path, p.getHttpGet().getPath(), name);
    }

    static List<String> serviceModules() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.exists(d.resolve("src/main/resources/application.properties")))
                    .map(d -> d.getFileName().toString()).filter(n -> n.endsWith("-service")).sorted().toList();
        }
    }

    /** The unprofiled properties of a service (%profile. lines are test or dev settings). */
    static Properties properties(String service) throws IOException {
        Properties all = new Properties();
        all.load(new StringReader(Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"))));
        Properties p = new Properties();
        all.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> p.setProperty(k, all.getProperty(k)));
        if (p.isEmpty()) {
            fail(service + " has no properties");
        }
        return p;
    }
}
