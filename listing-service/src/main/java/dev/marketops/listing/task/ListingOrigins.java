package dev.marketops.listing.task;

import dev.marketops.listing.shop.Shops;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Actor;
import dev.marketops.platform.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who creates a listing, from which source and for which shop: decided by the acting user, not
 * by the body. The source picks the audit strategy (config-service: operator_form and
 * excel_batch by an operator are "skip", merchant sources "manual", supplier sources
 * "fast_track"), so a caller may claim only the sources of its role:
 * <ul>
 * <li>merchant: merchant_portal, merchant_app, excel_batch (its own upload), user type merchant,
 *     always for its own shop (token merchant_id);</li>
 * <li>operator, admin: operator_form, excel_batch, user type operator, for a shop it names; and
 *     a supplier's sources (user type system) when staff enter a supplier's goods on its behalf;</li>
 * <li>supplier system: supplier_push, supplier_pull, api, user type system, for a shop it names;</li>
 * <li>a platform service acting on its own (no user behind it): any source, for a shop it names.</li>
 * </ul>
 * Body fields naming who acts (creatorId, merchantId, a merchant's shopId, sourceUserType) may
 * only repeat the acting user: otherwise 400 IDENTITY_MISMATCH naming the field.
 */
@ApplicationScoped
public class ListingOrigins {

    public static final Set<String> MERCHANT_SOURCES = Set.of("merchant_portal", "merchant_app", "excel_batch");
    public static final Set<String> OPERATOR_SOURCES = Set.of("operator_form", "excel_batch");
    public static final Set<String> SUPPLIER_SOURCES = Set.of("supplier_push", "supplier_pull", "api");

    /** A command with its origin settled, or why it cannot be created. */
    public record Resolved(CreateListingCommand command, ApiProblem problem) {
    }

    @Inject
    Shops shops;

    /** One command; throws the problem. */
    public CreateListingCommand resolve(CreateListingCommand cmd, Actor actor) {
        Resolved r = resolveAll(java.util.Arrays.asList(cmd), actor).get(0);
        if (r.problem() != null) {
            throw r.problem();
        }
        return r.command();
    }

    /** Many commands (null entries stay null): the shops they name are looked up in one query. */
    public List<Resolved> resolveAll(List<CreateListingCommand> cmds, Actor actor) {
        Set<Long> named = new HashSet<>();
        if (!actor.isMerchant()) {
            cmds.stream().filter(Objects::nonNull).map(CreateListingCommand::shopId).filter(Objects::nonNull).forEach(named::add);
        }
        Map<Long, Shops.Shop> known = shops.find(named);
        List<Resolved> out = new ArrayList<>(cmds.size());
        for (CreateListingCommand cmd : cmds) {
            if (cmd == null) {
                out.add(new Resolved(null, null));
                continue;
            }
            try {
                out.add(new Resolved(one(cmd, actor, known), null));
            } catch (ApiProblem p) {
                out.add(new Resolved(cmd, p));
            }
        }
        return out;
    }

    private static CreateListingCommand one(CreateListingCommand cmd, Actor actor, Map<Long, Shops.Shop> known) {
        boolean service = actor.userId() == 0 && (Roles.SERVICE.equals(actor.type()) || "system".equals(actor.type()));
        String userType;
        Set<String> sources;
        if (service) {
            userType = null;
            sources = null;
        } else if (actor.isMerchant()) {
            userType = "merchant";
            sources = MERCHANT_SOURCES;
        } else if (Roles.OPERATOR.equals(actor.type()) || Roles.ADMIN.equals(actor.type())) {
            boolean forSupplier = cmd.sourceType() != null && SUPPLIER_SOURCES.contains(cmd.sourceType()); // missing: refused by validation
            userType = forSupplier ? "system" : "operator";
            sources = forSupplier ? SUPPLIER_SOURCES : OPERATOR_SOURCES;
        } else if (Roles.SUPPLIER.equals(actor.type())) {
            userType = "system";
            sources = SUPPLIER_SOURCES;
        } else {
            throw new ApiProblem(403, "FORBIDDEN", "Forbidden", "role " + actor.type() + " may not create listings");
        }
        // the source first: it is what picks the audit strategy, so it is the refusal to report
        if (sources != null && cmd.sourceType() != null && ListingVocabulary.SOURCE_TYPES.contains(cmd.sourceType())
                && !sources.contains(cmd.sourceType())) {
            throw new ApiProblem(403, "SOURCE_NOT_ALLOWED", "Forbidden", "a " + actor.type() + " may create listings only from "
                    + new java.util.TreeSet<>(sources) + ", not " + cmd.sourceType())
                    .with("field", "sourceType").with("value", cmd.sourceType());
        }
        String sourceUserType = cmd.sourceUserType();
        if (userType != null) {
            same("sourceUserType", sourceUserType, userType);
            sourceUserType = userType;
        }
        Long creator = cmd.creatorId();
        if (!service) {
            same("creatorId", creator, actor.userId());
            creator = actor.userId();
        }
        Long shop;
        Long merchant;
        if (actor.isMerchant()) {
            same("merchantId", cmd.merchantId(), actor.merchantId());
            same("shopId", cmd.shopId(), actor.merchantId());
            shop = actor.merchantId();
            merchant = actor.merchantId();
        } else {
            if (!service) {
                same("merchantId", cmd.merchantId(), null);
            }
            if (cmd.shopId() == null) {
                throw ApiProblem.missingField("shopId");
            }
            Shops.Shop s = known.get(cmd.shopId());
            if (s == null) {
                throw ApiProblem.badRequest("UNKNOWN_SHOP", "no shop with id " + cmd.shopId())
                        .with("field", "shopId").with("value", cmd.shopId());
            }
            shop = s.shopId();
            merchant = s.merchantId();
        }
        return new CreateListingCommand(cmd.categoryId(), cmd.title(), cmd.taskType(), cmd.sourceType(), sourceUserType,
                creator, merchant, cmd.itemData(), shop);
    }

    /** A body value naming who acts may only repeat the acting user's (same rule and answer as Caller.sameAsCaller). */
    private static void same(String field, Object bodyValue, Object actual) {
        if (bodyValue != null && !Objects.equals(String.valueOf(bodyValue), String.valueOf(actual))) {
            throw ApiProblem.badRequest("IDENTITY_MISMATCH", field + " comes from your login and may not name someone else")
                    .with("field", field).with("value", bodyValue);
        }
    }
}
