package dev.marketops.platform.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.marketops.platform.problem.ApiProblem;
import dev.marketops.platform.problem.DatabaseOutage;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class GrpcProblemsTest {

    private static StatusRuntimeException failure(RuntimeException thrown) {
        return assertThrows(StatusRuntimeException.class, () -> GrpcProblems.call(() -> {
            throw thrown;
        }).await().indefinitely());
    }

    @Test
    void aLostDatabaseConnectionIsUnavailableSoThatCallersWaitItOut() {
        for (SQLException lost : new SQLException[] {
                new SQLException("terminating connection due to administrator command", "57P01"),
                new SQLTransientConnectionException("This connection has been closed.", "08003"),
                new SQLException("the database system is starting up", "57P03")}) {
            // as Hibernate or a repository wraps it, one or more levels down
            StatusRuntimeException e = failure(new IllegalStateException("write failed", new RuntimeException(lost)));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), lost.getSQLState());
            assertEquals(DatabaseOutage.CODE, e.getTrailers().get(GrpcProblems.PROBLEM_CODE));
        }
    }

    @Test
    void otherDatabaseErrorsStayInternalAndProblemsKeepTheirStatus() {
        assertEquals(Status.Code.INTERNAL, failure(new RuntimeException(new SQLException("duplicate key", "23505"))).getStatus().getCode());
        assertEquals(Status.Code.INTERNAL, failure(new IllegalStateException("no cause")).getStatus().getCode());
        StatusRuntimeException conflict = failure(ApiProblem.conflict("STALE_VERSION", "version 3 expected"));
        assertEquals(Status.Code.ABORTED, conflict.getStatus().getCode());
        assertEquals("STALE_VERSION", conflict.getTrailers().get(GrpcProblems.PROBLEM_CODE));
    }
}
