package dev.marketops.listing.catalogue.domain;

/**
 * The price adjustment rules of batch operations (main seed 4.3), plain Java: how a mode
 * computes the new price and which guards refuse it.
 */
public final class PriceRules {

    /** A refusal with its stable code, or null when the change may be applied. */
    public record Refusal(String code, String message) {
    }

    private PriceRules() {
    }

    /** set: the value in cents; add: signed cents; percent: signed basis points of the old price (rounded half up). */
    public static long apply(String mode, long old, long value) {
        return switch (mode) {
            case "set" -> value;
            case "add" -> Math.addExact(old, value);
            case "percent" -> old + Math.round(old * (value / 10_000.0));
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    }

    public static boolean knownMode(String mode) {
        return "set".equals(mode) || "add".equals(mode) || "percent".equals(mode);
    }

    /**
     * Guards, in order: a price must stay positive; a sale price may not exceed the face value
     * (vouchers, cards, top-up); a change larger than {@code maxChangeBp} basis points of the old
     * price needs the operator's confirmation.
     */
    public static Refusal check(long oldPrice, long newPrice, long saleAfter, long faceAfter, int maxChangeBp, boolean confirmed) {
        if (newPrice <= 0) {
            return new Refusal("PRICE_NOT_POSITIVE", "the price would be " + newPrice + " cents; it must be above 0");
        }
        if (faceAfter > 0 && saleAfter > faceAfter) {
            return new Refusal("SALE_ABOVE_FACE", "sale price " + saleAfter + " would exceed face value " + faceAfter);
        }
        if (maxChangeBp > 0 && !confirmed && oldPrice > 0
                && Math.abs(newPrice - oldPrice) * 10_000L > (long) maxChangeBp * oldPrice) {
            return new Refusal("CHANGE_TOO_LARGE", "a change from " + oldPrice + " to " + newPrice + " cents is more than "
                    + maxChangeBp + " basis points; confirm it to apply");
        }
        return null;
    }
}
