package dev.marketops.config.homepage;

import dev.marketops.config.category.Category;
import dev.marketops.config.publish.ConfigPublisher;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Homepage groups: edit the draft, publish it now or at a set time, roll back to an earlier
 * version. Every publish freezes a numbered version (who, when, the diff to the live one) and
 * announces it on config.publish in the same transaction; ConfigPublishWorker distributes it.
 */
@ApplicationScoped
public class HomepageService {

    public record NewGroup(String code, String name, String region, String platform, String environment) {
    }

    public record DraftUpdate(Long version, List<Entrance> entrances) {
    }

    /** publishAt null or not in the future: now. draftVersion: the draft the caller reviewed. */
    public record PublishRequest(Long draftVersion, Instant publishAt) {
    }

    public record RollbackRequest(Integer toVersion, Integer liveVersion) {
    }

    public record Published(HomepageStore.Version version, HomepageStore.Schedule schedule) {
    }

    private final HomepageStore store;
    private final ConfigPublisher publisher;
    private final SnowflakeIds ids;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public HomepageService(HomepageStore store, ConfigPublisher publisher, SnowflakeIds ids,
                           com.fasterxml.jackson.databind.ObjectMapper json) {
        this.store = store;
        this.publisher = publisher;
        this.ids = ids;
        this.json = json;
    }

    @Transactional
    public HomepageStore.Group create(NewGroup in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        require("code", in.code());
        require("name", in.name());
        require("region", in.region());
        if (!in.code().matches("[A-Z][A-Z0-9_]{1,99}")) {
            throw ApiProblem.invalidField("code", "must be upper-case letters, digits and underscores", in.code());
        }
        if (!in.region().matches("[A-Za-z0-9_-]{1,32}")) {
            throw ApiProblem.invalidField("region", "1..32 letters, digits, '_' or '-'", in.region());
        }
        String platform = in.platform() == null ? "all" : in.platform();
        if (!HomepageRules.PLATFORMS.contains(platform)) {
            throw ApiProblem.invalidField("platform", "must be one of " + HomepageRules.PLATFORMS, platform);
        }
        String environment = in.environment() == null ? "prod" : in.environment();
        if (!HomepageRules.ENVIRONMENTS.contains(environment)) {
            throw ApiProblem.invalidField("environment", "must be one of " + HomepageRules.ENVIRONMENTS, environment);
        }
        if (store.codeTaken(in.code())) {
            throw ApiProblem.conflict("DUPLICATE_GROUP_CODE", "homepage group " + in.code() + " already exists")
                    .with("field", "code").with("value", in.code());
        }
        long id = ids.nextId();
        store.insertGroup(id, in.code(), in.name().trim(), in.region(), platform, environment, by);
        return store.group(id, false).orElseThrow();
    }

    public HomepageStore.Group get(long id) {
        return store.group(id, false).orElseThrow(() -> unknown(id));
    }

    @Transactional
    public HomepageStore.Group saveDraft(long id, DraftUpdate in, long by) {
        if (in == null || in.entrances() == null) {
            throw ApiProblem.missingField("entrances");
        }
        HomepageStore.Group g = store.group(id, true).orElseThrow(() -> unknown(id));
        checkVersion(in.version(), g.draftVersion(), "version", id);
        validate(in.entrances());
        store.saveDraft(id, in.entrances(), by);
        return store.group(id, false).orElseThrow();
    }

    /** Publishes the draft now, or schedules it for publishAt (the draft as it is now). */
    @Transactional
    public Published publish(long id, PublishRequest in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        HomepageStore.Group g = store.group(id, true).orElseThrow(() -> unknown(id));
        checkVersion(in.draftVersion(), g.draftVersion(), "draftVersion", id);
        validate(g.draft()); // categories may have been disabled since the draft was saved
        if (in.publishAt() != null && in.publishAt().isAfter(Instant.now())) {
            long scheduleId = store.insertSchedule(id, g.draftVersion(), g.draft(), in.publishAt(), by);
            return new Published(null, store.schedule(scheduleId, false).orElseThrow());
        }
        return new Published(freeze(g, g.draft(), "publish", null, by), null);
    }

    @Transactional
    public HomepageStore.Version rollback(long id, RollbackRequest in, long by) {
        if (in == null || in.toVersion() == null) {
            throw ApiProblem.missingField("toVersion");
        }
        HomepageStore.Group g = store.group(id, true).orElseThrow(() -> unknown(id));
        if (in.liveVersion() == null) {
            throw ApiProblem.missingField("liveVersion");
        }
        if (in.liveVersion() != g.liveVersion()) {
            throw ApiProblem.conflict("STALE_VERSION", "group " + id + " is live at version " + g.liveVersion()
                    + ", the rollback was made against " + in.liveVersion()).with("field", "liveVersion")
                    .with("value", in.liveVersion()).with("currentVersion", g.liveVersion());
        }
        if (in.toVersion() == g.liveVersion()) {
            throw ApiProblem.invalidField("toVersion", "is the live version already", in.toVersion());
        }
        HomepageStore.Version source = store.version(id, in.toVersion()).orElseThrow(() ->
                ApiProblem.invalidField("toVersion", "group " + id + " has no such version", in.toVersion()));
        return freeze(g, entrances(source.document()), "rollback", source.versionNo(), by);
    }

    @Transactional
    public void cancelSchedule(long groupId, long scheduleId) {
        HomepageStore.Schedule s = store.schedule(scheduleId, true).filter(x -> x.groupId() == groupId)
                .orElseThrow(() -> ApiProblem.notFound("UNKNOWN_SCHEDULE", "group " + groupId + " has no schedule " + scheduleId));
        if (!s.status().equals("pending")) {
            throw ApiProblem.conflict("SCHEDULE_NOT_PENDING", "schedule " + scheduleId + " is " + s.status())
                    .with("status", s.status());
        }
        store.finishSchedule(scheduleId, "cancelled", null);
    }

    /** Publishes every schedule that is due; called by the scheduler on one replica. Returns how many went live. */
    @Transactional
    public int publishDue(int limit) {
        int n = 0;
        for (HomepageStore.Schedule s : store.claimDue(limit)) {
            HomepageStore.Group g = store.group(s.groupId(), true).orElseThrow();
            HomepageStore.Version v = freeze(g, s.entrances(), "scheduled_publish", null, s.createdBy());
            store.finishSchedule(s.scheduleId(), "published", v.versionNo());
            n++;
        }
        return n;
    }

    public List<HomepageStore.Version> versions(long id) {
        get(id);
        return store.versions(id);
    }

    public List<HomepageStore.Schedule> schedules(long id) {
        get(id);
        return store.schedules(id);
    }

    public HomepageStore.Version version(long id, int versionNo) {
        return store.version(id, versionNo).orElseThrow(() -> ApiProblem.notFound("UNKNOWN_VERSION",
                "group " + id + " has no version " + versionNo).with("groupId", Long.toString(id)).with("versionNo", versionNo));
    }

    public List<HomepageStore.Group> list() {
        return store.groups();
    }

    /** The live document of a group (what readers get), or empty before its first publish. */
    public java.util.Optional<HomepageStore.Version> live(long id) {
        return store.group(id, false).filter(g -> g.liveVersion() > 0).flatMap(g -> store.version(id, g.liveVersion()));
    }

    private HomepageStore.Version freeze(HomepageStore.Group g, List<Entrance> entrances, String action, Integer source, Long by) {
        int next = g.liveVersion() + 1;
        List<Entrance> before = g.liveVersion() == 0 ? List.of()
                : store.version(g.groupId(), g.liveVersion()).map(v -> entrances(v.document())).orElse(List.of());
        Map<String, Object> doc = document(g, entrances, next);
        store.insertVersion(g.groupId(), next, action, source, doc, HomepageRules.diff(before, entrances), by);
        publisher.changed(ConfigType.HOMEPAGE, g.groupId(), "published");
        return store.version(g.groupId(), next).orElseThrow();
    }

    /** The document readers get: the group's target and its entrances in their order, ids as strings. */
    static Map<String, Object> document(HomepageStore.Group g, List<Entrance> entrances, int versionNo) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("groupId", Long.toString(g.groupId()));
        doc.put("groupCode", g.code());
        doc.put("groupName", g.name());
        doc.put("region", g.region());
        doc.put("platform", g.platform());
        doc.put("environment", g.environment());
        doc.put("version", versionNo);
        doc.put("publishedAt", Instant.now().toString());
        doc.put("entrances", entrances.stream()
                .sorted(java.util.Comparator.comparingInt(Entrance::sortOrder)).toList());
        return doc;
    }

    private List<Entrance> entrances(Map<String, Object> document) {
        return json.convertValue(document.getOrDefault("entrances", List.of()),
                new com.fasterxml.jackson.core.type.TypeReference<List<Entrance>>() {
                });
    }

    private void validate(List<Entrance> entrances) {
        List<HomepageRules.Violation> violations = HomepageRules.check(entrances);
        if (violations.isEmpty()) {
            Set<Long> wanted = new LinkedHashSet<>();
            entrances.forEach(e -> e.categoryIds().forEach(c -> wanted.add(Long.parseLong(c))));
            if (!wanted.isEmpty()) {
                Set<Long> enabled = new java.util.HashSet<>(Category.<Category>list("id in ?1 and active = true", wanted)
                        .stream().map(c -> c.id).toList());
                for (int i = 0; i < entrances.size(); i++) {
                    for (String c : entrances.get(i).categoryIds()) {
                        if (!enabled.contains(Long.parseLong(c))) {
                            violations.add(new HomepageRules.Violation(i, "categoryIds", "no enabled category with this id", c));
                        }
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            HomepageRules.Violation first = violations.getFirst();
            throw ApiProblem.badRequest("INVALID_HOMEPAGE", "entrance " + first.entrance() + ": " + first.field() + " "
                    + first.reason()).with("field", first.field()).with("row", first.entrance()).with("value", first.value())
                    .with("violations", violations);
        }
    }

    private static void checkVersion(Long expected, long current, String field, long id) {
        if (expected == null) {
            throw ApiProblem.missingField(field);
        }
        if (expected != current) {
            throw ApiProblem.conflict("STALE_VERSION", "the draft of group " + id + " is at version " + current
                    + ", the request was made against " + expected + "; reload and retry")
                    .with("field", field).with("value", expected).with("currentVersion", current);
        }
    }

    private static ApiProblem unknown(long id) {
        return ApiProblem.notFound("UNKNOWN_GROUP", "no homepage group with id " + id).with("groupId", Long.toString(id));
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.missingField(field);
        }
    }
}
