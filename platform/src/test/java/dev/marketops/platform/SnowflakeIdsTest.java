package dev.marketops.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.marketops.platform.ids.SnowflakeIds;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnowflakeIdsTest {

    @Test
    void idsAreUniqueAndIncreasingEvenUnderContention() {
        SnowflakeIds ids = new SnowflakeIds(7);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 200_000).parallel().forEach(i -> assertTrue(seen.add(ids.nextId())));
        assertEquals(200_000, seen.size());

        long previous = ids.nextId();
        for (int i = 0; i < 10_000; i++) {
            long next = ids.nextId();
            assertTrue(next > previous, "ids must increase");
            previous = next;
        }
    }

    @Test
    void workerIdIsEncodedAndDifferentWorkersNeverCollide() {
        SnowflakeIds a = new SnowflakeIds(1);
        SnowflakeIds b = new SnowflakeIds(2);
        Set<Long> all = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            assertTrue(all.add(a.nextId()));
            assertTrue(all.add(b.nextId()));
        }
        assertEquals(2, (b.nextId() >> 12) & 1023);
    }

    @Test
    void timestampIsRecoverableAndCodesCarryTheDay() {
        SnowflakeIds ids = new SnowflakeIds(3);
        long before = System.currentTimeMillis();
        long id = ids.nextId();
        long ts = SnowflakeIds.timestampOf(id);
        assertTrue(ts >= before - 1 && ts <= System.currentTimeMillis());
        String code = ids.nextCode("PRICE");
        assertTrue(code.matches("PRICE_\\d{8}_\\d+"), code);
    }

    @Test
    void workerIdOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SnowflakeIds(1024));
    }
}
