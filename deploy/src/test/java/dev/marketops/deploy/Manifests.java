package dev.marketops.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rendered manifests, parsed strictly: Kubernetes kinds into the fabric8 API types with every
 * field known (fabric8 keeps unknown fields in additionalProperties; any there is an error), the
 * operators' kinds (Strimzi, CloudNativePG, KEDA, Prometheus operator, Redis/OpenSearch
 * operators) against the field names their CRDs define for what the chart uses.
 */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, true);

    record Doc(String apiVersion, String kind, String name, ObjectNode tree, Object typed) {
        String id() {
            return kind + "/" + name;
        }
    }

    static final Map<String, Class<?>> TYPED = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class);

    /** Allowed spec fields of the operator kinds, per path ("" is spec itself), as their CRDs define them. */
    static final Map<String, Map<String, Set<String>>> CUSTOM = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", Map.of(
                    "", Set.of("kafka", "entityOperator", "cruiseControl", "kafkaExporter"),
                    "kafka", Set.of("version", "metadataVersion", "listeners", "config", "authorization", "rack", "resources", "jvmOptions", "template", "metricsConfig"),
                    "kafka.listeners[]", Set.of("name", "port", "type", "tls", "authentication", "configuration", "networkPolicyPeers"),
                    "entityOperator", Set.of("topicOperator", "userOperator", "template", "tlsSidecar")),
            "kafka.strimzi.io/v1beta2/KafkaNodePool", Map.of(
                    "", Set.of("replicas", "roles", "storage", "resources", "jvmOptions", "template"),
                    "storage", Set.of("type", "volumes"),
                    "storage.volumes[]", Set.of("id", "type", "size", "class", "deleteClaim", "kraftMetadata", "selector")),
            "kafka.strimzi.io/v1beta2/KafkaTopic", Map.of("", Set.of("partitions", "replicas", "config", "topicName")),
            "postgresql.cnpg.io/v1/Cluster", Map.of(
                    "", Set.of("instances", "imageName", "primaryUpdateStrategy", "bootstrap", "postgresql", "storage", "monitoring", "resources", "affinity", "backup"),
                    "bootstrap", Set.of("initdb", "recovery", "pg_basebackup"),
                    "bootstrap.initdb", Set.of("database", "owner", "secret", "postInitSQL", "postInitApplicationSQL"),
                    "storage", Set.of("size", "storageClass", "pvcTemplate", "resizeInUseVolumes"),
                    "monitoring", Set.of("enablePodMonitor", "customQueriesConfigMap", "customQueriesSecret")),
            "redis.redis.opstreelabs.in/v1beta2/Redis", Map.of(
                    "", Set.of("kubernetesConfig", "storage", "redisExporter", "securityContext", "podSecurityContext"),
                    "kubernetesConfig", Set.of("image", "imagePullPolicy", "resources", "redisSecret", "imagePullSecrets")),
            "opensearch.opster.io/v1/OpenSearchCluster", Map.of(
                    "", Set.of("general", "nodePools", "dashboards", "security", "bootstrap"),
                    "general", Set.of("serviceName", "version", "httpPort", "setVMMaxMapCount", "image"),
                    "nodePools[]", Set.of("component", "replicas", "diskSize", "roles", "resources", "persistence", "jvm")),
            "keda.sh/v1alpha1/ScaledObject", Map.of(
                    "", Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod", "idleReplicaCount", "triggers", "advanced", "fallback"),
                    "scaleTargetRef", Set.of("name", "kind", "apiVersion", "envSourceContainerName"),
                    "triggers[]", Set.of("type", "metadata", "name", "authenticationRef", "metricType", "useCachedMetrics"),
                    "triggers[].metadata", Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold",
                            "offsetResetPolicy", "allowIdleConsumers", "excludePersistentLag", "scaleToZeroOnInvalidOffset", "limitToPartitionsWithLag")),
            "monitoring.coreos.com/v1/PrometheusRule", Map.of(
                    "", Set.of("groups"),
                    "groups[]", Set.of("name", "interval", "rules"),
                    "groups[].rules[]", Set.of("alert", "record", "expr", "for", "labels", "annotations")),
            "monitoring.coreos.com/v1/PodMonitor", Map.of(
                    "", Set.of("selector", "podMetricsEndpoints", "namespaceSelector", "jobLabel"),
                    "podMetricsEndpoints[]", Set.of("port", "path", "interval", "scheme", "relabelings")));

    static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");

    private Manifests() {
    }

    static List<Doc> parse(String rendered) throws Exception {
        List<Doc> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(rendered)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n == null || n.isNull() || n.isEmpty()) {
                    continue;
                }
                docs.add(parseOne((ObjectNode) n));
            }
        }
        return docs;
    }

    private static Doc parseOne(ObjectNode n) throws Exception {
        String apiVersion = text(n, "apiVersion");
        String kind = text(n, "kind");
        String name = n.path("metadata").path("name").asText("");
        String key = apiVersion + "/" + kind;
        if (name.isEmpty()) {
            throw new AssertionError(key + " without metadata.name");
        }
        Class<?> type = TYPED.get(key);
        if (type != null) {
            Object typed = YAML.treeToValue(n, type);
            List<String> unknown = new ArrayList<>();
            unknownFields(typed, kind + "/" + name, unknown, new IdentityHashMap<>());
            if (!unknown.isEmpty()) {
                throw new AssertionError("unknown fields (not in the Kubernetes API type): " + unknown);
            }
            return new Doc(apiVersion, kind, name, n, typed);
        }
        Map<String, Set<String>> allowed = CUSTOM.get(key);
        if (allowed == null) {
            throw new AssertionError("kind " + key + " (" + name + ") is neither a Kubernetes type nor a known operator kind");
        }
        onlyFields(n, Set.of("apiVersion", "kind", "metadata", "spec"), key + " " + name);
        onlyFields(n.path("metadata"), METADATA, key + " " + name + " metadata");
        for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
            for (JsonNode at : at(n.path("spec"), e.getKey())) {
                onlyFields(at, e.getValue(), key + " " + name + " spec." + e.getKey());
            }
        }
        return new Doc(apiVersion, kind, name, n, null);
    }

    /** The nodes at a path like "triggers[].metadata" ("" is the node itself). */
    private static List<JsonNode> at(JsonNode root, String path) {
        List<JsonNode> nodes = List.of(root);
        if (path.isEmpty()) {
            return nodes;
        }
        for (String part : path.split("\\.")) {
            boolean each = part.endsWith("[]");
            String field = each ? part.substring(0, part.length() - 2) : part;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : nodes) {
                JsonNode child = n.path(field);
                if (child.isMissingNode() || child.isNull()) {
                    continue;
                }
                if (each) {
                    child.forEach(next::add);
                } else {
                    next.add(child);
                }
            }
            nodes = next;
        }
        return nodes;
    }

    private static void onlyFields(JsonNode n, Set<String> allowed, String where) {
        if (!n.isObject()) {
            return;
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new AssertionError("unknown field " + f + " in " + where + " (allowed: " + allowed + ")");
            }
        });
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new AssertionError("manifest without " + field + ": " + n);
        }
        return v.asText();
    }

    /** Walks a fabric8 object graph; any additionalProperties entry is a field the API type does not have. */
    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), out, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(v, path + "." + Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4), out, seen);
        }
    }
}
