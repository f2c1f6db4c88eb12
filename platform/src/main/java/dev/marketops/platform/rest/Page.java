package dev.marketops.platform.rest;

import dev.marketops.platform.problem.ApiProblem;
import java.util.List;

/** One page of a list endpoint, in the fleet's pagination convention (0-based page, size 1..200). */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 200;
    /**
     * Deep offset pages are refused everywhere: past this many rows an offset scan costs the
     * database more than one request should get (and page * size overflowed an int into a 500).
     */
    public static final long MAX_OFFSET = 10_000;

    /** Refuses an out-of-range page or size, or a page deeper than {@link #MAX_OFFSET}, with a problem naming the field. */
    public static void check(int page, int size) {
        if (page < 0) {
            throw ApiProblem.invalidField("page", "must be >= 0", page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiProblem.invalidField("size", "must be 1.." + MAX_SIZE, size);
        }
        if ((long) page * size > MAX_OFFSET) {
            throw ApiProblem.invalidField("page", "page * size may be at most " + MAX_OFFSET + "; use filters to narrow the result", page)
                    .with("maxResults", MAX_OFFSET);
        }
    }
}
