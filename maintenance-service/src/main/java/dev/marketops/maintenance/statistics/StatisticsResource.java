package dev.marketops.maintenance.statistics;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Permission;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The dashboard's figures (StatisticsWorker's hourly and daily buckets): maintenance:statistics. */
@Path("/statistics")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Permission.Names.STATISTICS_READ)
public class StatisticsResource {

    public static final int MAX_ROWS = 5000;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public record Figure(OffsetDateTime bucket, String metric, Map<String, Object> dimensions, double value) {
    }

    @Inject
    AgroalDataSource ds;

    @GET
    public List<Figure> figures(@QueryParam("granularity") @DefaultValue("hour") String granularity,
                                @QueryParam("metric") String metric,
                                @QueryParam("from") String from, @QueryParam("to") String to) {
        if (!"hour".equals(granularity) && !"day".equals(granularity)) {
            throw ApiProblem.invalidField("granularity", "must be hour or day", granularity);
        }
        Instant end = instant("to", to, Instant.now());
        Instant start = instant("from", from, end.minus(Duration.ofDays("hour".equals(granularity) ? 1 : 30)));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT bucket, metric, dimensions::text, value FROM statistic
                 WHERE granularity = ? AND bucket >= ? AND bucket < ? AND (?::text IS NULL OR metric = ?)
                 ORDER BY bucket, metric, dimensions::text LIMIT ?""")) {
            ps.setString(1, granularity);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            ps.setString(4, metric);
            ps.setString(5, metric);
            ps.setInt(6, MAX_ROWS);
            List<Figure> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> dims = JSON.readValue(rs.getString(3), Map.class);
                    out.add(new Figure(rs.getObject(1, OffsetDateTime.class), rs.getString(2), dims, rs.getDouble(4)));
                }
            }
            return out;
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not read statistics", e);
        }
    }

    private static Instant instant(String field, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalidField(field, "must be an ISO-8601 instant with offset", value);
        }
    }
}
