package dev.marketops.audit.history;

import dev.marketops.audit.access.TaskVisibility;
import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.security.Permission;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;

/** The lifecycle history of a task (LISTING_READ; a merchant only of its own tasks, another shop's task is a 404). */
@Path("/listing-events")
@Produces(MediaType.APPLICATION_JSON)
public class ListingHistoryResource {

    public record EventView(String eventId, long taskId, String taskCode, String eventType, long categoryId,
                            String categoryName, String sourceType, Integer fromStatus, int toStatus, String action,
                            OffsetDateTime eventTime, OffsetDateTime recordedAt) {
        static EventView of(ListingEventRecord r) {
            return new EventView(r.eventId, r.taskId, r.taskCode, r.eventType, r.categoryId, r.categoryName,
                    r.sourceType, r.fromStatus, r.toStatus, r.action, r.eventTime, r.recordedAt);
        }
    }

    @Inject
    TaskVisibility visibility;

    @GET
    @PermissionsAllowed(Permission.Names.LISTING_READ)
    public List<EventView> ofTask(@QueryParam("taskId") Long taskId) {
        if (taskId == null) {
            throw ApiProblem.missingField("taskId");
        }
        visibility.requireVisible(taskId);
        return ListingEventRecord.ofTask(taskId).stream().map(EventView::of).toList();
    }
}
