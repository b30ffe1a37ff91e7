package ai.loopgpt.dr.recovery.client;

import ai.loopgpt.dr.common.problem.ProblemException;
import ai.loopgpt.dr.common.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The one way to call backup-service: timeout, retries on connection trouble, a circuit breaker.
 * A backup that does not exist is an empty result; a backup-service that cannot be reached is a 503.
 */
@ApplicationScoped
public class BackupClient {

    private final BackupServiceApi api;
    private final BackupStreamApi streams;

    public BackupClient(@RestClient BackupServiceApi api, @RestClient BackupStreamApi streams) {
        this.api = api;
        this.streams = streams;
    }

    public Optional<BackupDto> backup(UUID id) {
        try {
            return Optional.of(call(id));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw unavailable(e);
        } catch (ProcessingException | TimeoutException | CircuitBreakerOpenException e) {
            throw unavailable(e);
        }
    }

    /** The newest SUCCEEDED backup of {@code target} whose snapshot is older than {@code before}. */
    public Optional<BackupDto> latestBefore(String target, Instant before) {
        try {
            return callLatest(target, before).items().stream().findFirst();
        } catch (WebApplicationException | ProcessingException | TimeoutException | CircuitBreakerOpenException e) {
            throw unavailable(e);
        }
    }

    /**
     * backup-service's plan to bring streamed {@code target} to {@code toTime}. What it refuses (a target
     * not streamed, a time outside what the stream covers) is refused here with its words, as 4xx.
     */
    public StreamPlanDto streamPlan(String target, Instant toTime) {
        try {
            return callPlan(target, toTime);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            String detail = detail(e);
            if (status == 401 || status == 403) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "backup-service refused recovery-service's "
                        + "token (HTTP " + status + "): check recovery.backup-service.token; nothing was started.");
            }
            if (status == 404) {
                throw ProblemException.badRequest("backup-service has no target '" + target + "'.");
            }
            if (status == 409 || status == 422) {
                throw new ProblemException(status == 409 ? ProblemType.CONFLICT : ProblemType.UNPROCESSABLE, detail);
            }
            if (status < 500) {
                throw ProblemException.badRequest(detail);
            }
            throw unavailable(e);
        } catch (ProcessingException | TimeoutException | CircuitBreakerOpenException e) {
            throw unavailable(e);
        }
    }

    /** Asks for a backup (a safety backup before an in-place restore). */
    public BackupDto requestBackup(String target, String kind, String reason) {
        try {
            return callRequest(new BackupDto.Request(target, kind, reason));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 409) {
                throw ProblemException.conflict("backup-service is already backing up '" + target
                        + "'; retry the restore when that backup has finished.");
            }
            if (status < 500) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "backup-service refused a safety backup of '"
                        + target + "' (HTTP " + status + "): is it configured as a backup target there?");
            }
            throw unavailable(e);
        } catch (ProcessingException | TimeoutException | CircuitBreakerOpenException e) {
            throw unavailable(e);
        }
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    BackupDto call(UUID id) {
        return api.get(id);
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    BackupDto.Page callLatest(String target, Instant before) {
        return api.list(target, "SUCCEEDED", before.truncatedTo(ChronoUnit.MICROS), 1);
    }

    @Timeout(10_000)
    @Retry(maxRetries = 2, delay = 200, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    StreamPlanDto callPlan(String target, Instant toTime) {
        return streams.plan(target, toTime);
    }

    @Timeout(30_000)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 10_000,
            skipOn = WebApplicationException.class)
    BackupDto callRequest(BackupDto.Request request) {
        return api.request(request);
    }

    /** The detail of backup-service's problem response, or its status when it has none. */
    private static String detail(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            String detail = body == null ? null
                    : new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("detail").asText(null);
            if (detail != null && !detail.isBlank()) {
                return "backup-service: " + detail;
            }
        } catch (RuntimeException | java.io.IOException unreadable) {
            // No problem document: the status says enough.
        }
        return "backup-service answered HTTP " + e.getResponse().getStatus() + ".";
    }

    private static ProblemException unavailable(Exception e) {
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                "backup-service cannot be reached (" + e.getClass().getSimpleName()
                        + "); nothing was started. Retry when it is back.");
    }
}
