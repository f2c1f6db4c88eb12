package dev.marketops.listing.catalogue.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marketops.listing.catalogue.domain.ItemPlan.Attribute;
import dev.marketops.listing.catalogue.domain.ItemPlan.AttributeRefusal;
import dev.marketops.listing.catalogue.domain.ItemPlan.BundlePart;
import dev.marketops.listing.catalogue.domain.ItemPlan.SkuPlan;
import dev.marketops.listing.catalogue.domain.ItemPlan.Slot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one place that turns a listing's item data into SKUs, prices and stock, by the
 * category's inventory model and price model (config-service), so that a category added by
 * configuration works as soon as it names its models. Plain Java, no framework.
 *
 * <ul>
 * <li>price: sale price from sale_price / price / bundle_price / ticket_price (yuan, to cents);
 *     face value from face_value / denomination (a denomination without a sale price sells at face).</li>
 * <li>calendar (hotels): a slot per price_calendar entry {date, price, stock}; the SKU's price is
 *     the lowest upcoming night.</li>
 * <li>session (movies): one slot at show_time; its stock is the number of seats.</li>
 * <li>stock: unlimited -1; code_pool the number of item-data codes (a generated gift card is
 *     unlimited); quantity from quantity / stock; date_based the sum of the nights (a night
 *     without stock counts {@value #DEFAULT_NIGHT_STOCK} room); seat_based the seats; bundle its
 *     quantity when given, else unlimited (the parts limit it).</li>
 * </ul>
 */
public final class CataloguePlanner {

    /** Item-data keys the catalogue stores as rows of their own, not as attributes. */
    public static final Set<String> STRUCTURAL = Set.of("price_calendar", "seats", "sub_items", "codes");
    public static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    public static final int MAX_ATTRIBUTE_VALUE = 2000;
    static final long DEFAULT_NIGHT_STOCK = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CataloguePlanner() {
    }

    public static ItemPlan plan(String inventoryModel, String priceModel, String title, Map<String, Object> data, LocalDate today) {
        Map<String, Object> d = data == null ? Map.of() : data;
        Optional<Long> face = cents(d, "face_value", "denomination");
        long sale = cents(d, "sale_price", "price", "bundle_price", "ticket_price")
                .orElse("denomination".equals(priceModel) || "face_value".equals(priceModel) ? face.orElse(0L) : 0L);
        List<String> codes = List.copyOf(new LinkedHashSet<>(strings(d.get("codes"))));
        Optional<Long> quantity = whole(d, "quantity", "stock");

        List<Slot> slots = new ArrayList<>();
        if (d.get("price_calendar") instanceof List<?> nights) {
            long nightStock = whole(d, "room_count", "rooms", "stock").orElse(DEFAULT_NIGHT_STOCK);
            TreeMap<String, Slot> byDate = new TreeMap<>();
            for (Object n : nights) {
                if (n instanceof Map<?, ?> night && night.get("date") != null) {
                    String date = night.get("date").toString();
                    byDate.put(date, new Slot(date, money(night.get("price")).orElse(sale),
                            whole(night.get("stock")).orElse(nightStock)));
                }
            }
            slots.addAll(byDate.values());
        } else if (d.get("show_time") != null) {
            long seats = d.get("seats") instanceof List<?> l ? l.size() : quantity.orElse(0L);
            slots.add(new Slot(d.get("show_time").toString(), sale, seats));
        }

        long stock = switch (inventoryModel == null ? "" : inventoryModel) {
            case "unlimited" -> -1;
            case "code_pool" -> "generated".equals(d.get("card_type")) ? -1 : codes.size();
            case "date_based", "seat_based" -> slots.isEmpty() ? quantity.orElse(0L)
                    : slots.stream().mapToLong(Slot::stock).sum();
            case "bundle" -> quantity.orElse(-1L);
            default -> quantity.orElse(0L);
        };
        if (!slots.isEmpty()) {
            String from = today.toString();
            sale = slots.stream().filter(s -> s.slot().compareTo(from) >= 0).mapToLong(Slot::priceCents).min()
                    .orElse(slots.stream().mapToLong(Slot::priceCents).min().orElse(sale));
        }
        String name = d.get("ticket_type") instanceof String t ? t : title == null ? "default" : title;
        SkuPlan sku = new SkuPlan("main", name.length() > 255 ? name.substring(0, 255) : name, sale, face.orElse(0L), stock,
                List.copyOf(slots));

        List<BundlePart> parts = new ArrayList<>();
        if (d.get("sub_items") instanceof List<?> subs) {
            for (Object s : subs) {
                if (s instanceof Map<?, ?> sub) {
                    Optional<Long> id = whole(sub.get("itemId")).or(() -> whole(sub.get("item_id")));
                    id.ifPresent(i -> parts.add(new BundlePart(i, whole(sub.get("quantity")).orElse(1L).intValue(),
                            money(sub.get("price")).orElse(0L))));
                }
            }
        }
        List<Attribute> attributes = new ArrayList<>();
        AttributeRefusal refusal = null;
        for (Map.Entry<String, Object> e : new TreeMap<>(d).entrySet()) {
            if (STRUCTURAL.contains(e.getKey()) || e.getValue() == null) {
                continue;
            }
            if (!ATTRIBUTE_KEY.matcher(e.getKey()).matches()) {
                refusal = refusal != null ? refusal : new AttributeRefusal(e.getKey(),
                        "attribute key '" + e.getKey() + "' must match " + ATTRIBUTE_KEY.pattern());
                continue;
            }
            boolean text = e.getValue() instanceof String;
            String value = text ? (String) e.getValue() : json(e.getValue());
            if (value.length() > MAX_ATTRIBUTE_VALUE) {
                refusal = refusal != null ? refusal : new AttributeRefusal(e.getKey(), "attribute '" + e.getKey() + "' has "
                        + value.length() + " characters; the catalogue stores at most " + MAX_ATTRIBUTE_VALUE);
                continue;
            }
            attributes.add(new Attribute(e.getKey(), value, !text));
        }
        return new ItemPlan(List.of(sku), List.copyOf(parts), codes, List.copyOf(attributes), refusal);
    }

    /** Yuan (a number or numeric text) to cents, rounded half up. */
    public static Optional<Long> money(Object v) {
        return decimal(v).map(d -> d.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    private static Optional<Long> cents(Map<String, Object> d, String... keys) {
        for (String k : keys) {
            Optional<Long> c = money(d.get(k));
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> whole(Map<String, Object> d, String... keys) {
        for (String k : keys) {
            Optional<Long> c = whole(d.get(k));
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> whole(Object v) {
        return decimal(v).map(d -> d.setScale(0, RoundingMode.DOWN).longValue());
    }

    private static Optional<BigDecimal> decimal(Object v) {
        if (v instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(new BigDecimal(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o != null && !o.toString().isBlank()) {
                    out.add(o.toString().trim());
                }
            }
        }
        return out;
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }
}
