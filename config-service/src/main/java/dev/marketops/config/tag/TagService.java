package dev.marketops.config.tag;

import dev.marketops.config.publish.ConfigPublisher;
import dev.marketops.config.publish.ConfigType;
import dev.marketops.config.support.Inserts;
import dev.marketops.config.support.OptimisticLock;
import dev.marketops.platform.ids.SnowflakeIds;
import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Tag CRUD (main seed 4.6.2); a change is announced on config.publish (config_type tag, id the tag id). */
@ApplicationScoped
public class TagService {

    public record NewTag(String code, String name, String type, String iconUrl, Integer priority) {
    }

    /** null keeps the current value. */
    public record TagUpdate(Long version, String name, String type, String iconUrl, Integer priority, Boolean active) {
    }

    private final ConfigPublisher publisher;
    private final SnowflakeIds ids;

    public TagService(ConfigPublisher publisher, SnowflakeIds ids) {
        this.publisher = publisher;
        this.ids = ids;
    }

    public List<Tag> list(boolean includeInactive) {
        return Tag.listRanked(includeInactive);
    }

    public Tag get(String code) {
        return Tag.<Tag>find("code", code).firstResultOptional().orElseThrow(() -> unknown(code));
    }

    @Transactional
    public Tag create(NewTag in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        if (in.code() == null || !in.code().matches("[A-Za-z0-9_-]{1,100}")) {
            throw ApiProblem.invalidField("code", "1..100 letters, digits, '_' or '-'", in.code());
        }
        if (in.name() == null || in.name().isBlank()) {
            throw ApiProblem.missingField("name");
        }
        Tag t = new Tag();
        t.id = ids.nextId();
        t.code = in.code();
        t.name = in.name().trim();
        t.type = type(in.type() == null ? "recommend" : in.type());
        t.iconUrl = in.iconUrl();
        t.priority = in.priority() == null ? 0 : in.priority();
        t.active = true;
        t.createdBy = by;
        t.updatedBy = by;
        t.updatedAt = OffsetDateTime.now();
        if (Tag.count("code", t.code) > 0) {
            throw duplicate(t.code);
        }
        Inserts.insertUnique(t, () -> duplicate(t.code));
        publisher.changed(ConfigType.TAG, t.id, "created");
        return t;
    }

    @Transactional
    public Tag update(String code, TagUpdate in, long by) {
        if (in == null) {
            throw ApiProblem.badRequest("MISSING_BODY", "a JSON body is required");
        }
        Tag t = Tag.<Tag>find("code", code).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> unknown(code));
        OptimisticLock.check(in.version(), t.version, "tag", code);
        if (in.name() != null) {
            if (in.name().isBlank()) {
                throw ApiProblem.missingField("name");
            }
            t.name = in.name().trim();
        }
        if (in.type() != null) {
            t.type = type(in.type());
        }
        if (in.iconUrl() != null) {
            t.iconUrl = in.iconUrl().isBlank() ? null : in.iconUrl();
        }
        if (in.priority() != null) {
            t.priority = in.priority();
        }
        if (in.active() != null) {
            t.active = in.active();
        }
        t.updatedBy = by;
        t.updatedAt = OffsetDateTime.now();
        t.flush();
        publisher.changed(ConfigType.TAG, t.id, "updated");
        return t;
    }

    /** Deactivates: items keep the code, search stops ranking by it. */
    @Transactional
    public Tag deactivate(String code, long by) {
        Tag t = get(code);
        if (!t.active) {
            return t;
        }
        return update(code, new TagUpdate(t.version, null, null, null, null, false), by);
    }

    public Optional<Tag> find(String code) {
        return Tag.find("code", code).firstResultOptional();
    }

    private static String type(String type) {
        if (!Tag.TYPES.contains(type)) {
            throw ApiProblem.invalidField("type", "must be one of " + new TreeSet<>(Tag.TYPES), type);
        }
        return type;
    }

    private static ApiProblem unknown(String code) {
        return ApiProblem.notFound("UNKNOWN_TAG", "no tag with code " + code).with("tagCode", code);
    }

    private static ApiProblem duplicate(String code) {
        return ApiProblem.conflict("DUPLICATE_TAG_CODE", "tag code " + code + " already exists")
                .with("field", "code").with("value", code);
    }
}
