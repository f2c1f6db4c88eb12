package dev.marketops.supplier.adapter;

import dev.marketops.platform.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeMap;

/** The adapter of each kind, found like batch workers by operation type: every SupplierAdapter bean, by its kind(). */
@ApplicationScoped
public class Adapters {

    private final Map<String, SupplierAdapter> byKind = new TreeMap<>();
    private final Map<String, RecordSchema> schemas = new TreeMap<>();

    @Inject
    public Adapters(Instance<SupplierAdapter> all) {
        all.forEach(a -> {
            byKind.put(a.kind(), a);
            schemas.put(a.kind(), RecordSchema.of(a.kind()));
        });
    }

    /** Checks a record against its kind's JSON Schema, then maps it with the kind's own checks. */
    public SupplierRecord map(String kind, com.fasterxml.jackson.databind.JsonNode record) {
        SupplierAdapter a = of(kind);
        schemas.get(kind).check(record);
        return a.map(record);
    }

    public SupplierAdapter of(String kind) {
        SupplierAdapter a = byKind.get(kind);
        if (a == null) {
            throw new IllegalStateException("no supplier adapter of kind " + kind);
        }
        return a;
    }

    public void check(String field, String kind) {
        if (!byKind.containsKey(kind)) {
            throw ApiProblem.invalidField(field, "must be one of " + byKind.keySet(), kind);
        }
    }
}
