package dev.marketops.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.rest.Page;
import org.junit.jupiter.api.Test;

/** Deep pagination is a 400 naming page, never an int overflow. */
class PageTest {

    @Test
    void deepPagesAreRefusedNamingThePage() {
        assertDoesNotThrow(() -> Page.check(50, 200));
        ApiProblem deep = assertThrows(ApiProblem.class, () -> Page.check(51, 200));
        assertEquals(400, deep.status());
        assertEquals("INVALID_FIELD", deep.code());
        assertEquals("page", deep.extensions().get("field"));
        ApiProblem overflow = assertThrows(ApiProblem.class, () -> Page.check(Integer.MAX_VALUE, 200));
        assertEquals("page", overflow.extensions().get("field"));
        assertEquals("size", assertThrows(ApiProblem.class, () -> Page.check(0, 201)).extensions().get("field"));
    }
}
