package dev.marketops.supplier.supplier;

import java.util.List;

/**
 * A registry entry as supplier admins write it. {@code credentialRef} names where the supplier's
 * credentials live (a Keycloak client, a secret's name): a value that looks like a secret itself is
 * refused, and it is never logged. {@code version} is the version the caller last read (updates
 * and deletes: 409 STALE_VERSION when it changed since).
 */
public record SupplierRequest(String supplierCode, String supplierName, String categoryCode, List<Long> categoryIds,
                              String syncMode, String adapter, String endpointUrl, String pushTopic, Integer pullIntervalSeconds,
                              Integer pageSize, Integer rateLimitPerSecond, String credentialRef, Long shopId, Long userId,
                              Boolean enabled, Long version) {
}
