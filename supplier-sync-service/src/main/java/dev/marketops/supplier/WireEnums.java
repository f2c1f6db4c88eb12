package dev.marketops.supplier;

import dev.marketops.platform.problem.ApiProblem;
import java.util.Arrays;

/** Enums travel as their lower-case names (as stored in the database); unknown values are a 400 naming the field. */
public final class WireEnums {

    private WireEnums() {
    }

    public static String wire(Enum<?> value) {
        return value.name().toLowerCase();
    }

    public static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        E[] all = type.getEnumConstants();
        return Arrays.stream(all).filter(e -> wire(e).equals(value)).findFirst()
                .orElseThrow(() -> ApiProblem.invalidField(field, "must be one of "
                        + Arrays.stream(all).map(WireEnums::wire).toList(), value));
    }
}
