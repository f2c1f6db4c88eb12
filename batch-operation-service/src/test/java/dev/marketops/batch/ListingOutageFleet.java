package dev.marketops.batch;

import java.util.HashMap;
import java.util.Map;

/**
 * The catalogue fleet for the listing-service outage test: the test kills and restarts
 * listing-service ({@link #current}); the batch service waits out up to 3 minutes of outage and
 * takes small chunks with a pause between them, so that the kill lands in the middle of a batch.
 */
public class ListingOutageFleet extends CatalogueFleet {

    static volatile ListingOutageFleet current;

    @Override
    public Map<String, String> start() {
        Map<String, String> out = new HashMap<>(super.start());
        out.put("marketops.batch.outage.budget", "3m");
        out.put("marketops.batch.outage.max-backoff", "3s");
        out.put("marketops.batch.max-chunk-size", "200");
        out.put("marketops.batch.test-chunk-pause", "PT0.5S");
        // no crash of the batch service here: leases as in production, so a slow call is not claimed twice
        out.put("marketops.batch.lease-seconds", "60");
        current = this;
        return out;
    }
}
