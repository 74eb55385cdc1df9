package io.tributary.athena;

import io.prometheus.client.Histogram;
import io.tributary.retry.Backoff;
import io.tributary.retry.Sleeper;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Starts one query, waits for it with backoff polling, and stops it when {@code queryTimeout} passes or the waiting
 * thread is interrupted (a cancelled Spark job or notebook cell), so no query keeps running and billing unseen.
 */
final class AthenaQueryRunner {
    /** Polling slows down from pollInterval to at most this, or pollInterval if that is longer. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(5);

    private final AthenaClient athena;
    private final AthenaSourceOptions options;
    private final AthenaCallRetrier retrier;
    private final Sleeper sleeper;
    private final LongSupplier nanoClock;

    AthenaQueryRunner(AthenaClient athena, AthenaSourceOptions options, Sleeper sleeper, LongSupplier nanoClock) {
        this.athena = athena;
        this.options = options;
        this.retrier = new AthenaCallRetrier(options.maxRetries(), sleeper);
        this.sleeper = sleeper;
        this.nanoClock = nanoClock;
    }

    AthenaQueryRunner(AthenaClient athena, AthenaSourceOptions options) {
        this(athena, options, Sleeper.THREAD, System::nanoTime);
    }

    /** Runs {@code sql} to SUCCEEDED and returns its id, result location and columns. */
    CompletedQuery run(String sql, boolean withColumns) {
        String id = start(sql);
        QueryExecution execution;
        try (Histogram.Timer ignored = AthenaClientMetrics.QUERY_SECONDS.startTimer()) {
            execution = await(id);
        } catch (AthenaQueryException e) {
            AthenaClientMetrics.QUERIES
                    .labels(e.state().toLowerCase(Locale.ROOT))
                    .inc();
            throw e;
        }
        AthenaClientMetrics.QUERIES.labels("succeeded").inc();
        String resultLocation = execution.resultConfiguration() == null
                ? null
                : execution.resultConfiguration().outputLocation();
        return new CompletedQuery(id, resultLocation, withColumns ? columns(id) : List.of());
    }

    private String start(String sql) {
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                .queryString(sql)
                .workGroup(options.workgroup())
                .queryExecutionContext(c -> c.catalog(options.catalog()).database(options.database()));
        if (options.outputLocation() != null) {
            request.resultConfiguration(
                    r -> r.outputLocation(options.outputLocation().toString()));
        }
        if (!options.executionParameters().isEmpty()) {
            request.executionParameters(options.executionParameters());
        }
        if (options.resultReuseMaxAgeMinutes() > 0) {
            request.resultReuseConfiguration(r -> r.resultReuseByAgeConfiguration(
                    a -> a.enabled(true).maxAgeInMinutes(options.resultReuseMaxAgeMinutes())));
        }
        StartQueryExecutionRequest built = request.build();
        return retrier.call("StartQueryExecution", () -> athena.startQueryExecution(built))
                .queryExecutionId();
    }

    private QueryExecution await(String id) {
        long deadline = nanoClock.getAsLong() + options.queryTimeout().toNanos();
        Backoff polling = pollingBackoff(options.pollInterval()).sleepingWith(sleeper);
        try {
            for (int poll = 0; ; poll++) {
                QueryExecution execution = retrier.call(
                                "GetQueryExecution", () -> athena.getQueryExecution(r -> r.queryExecutionId(id)))
                        .queryExecution();
                QueryExecutionStatus status = execution.status();
                QueryExecutionState state = status.state();
                if (state == QueryExecutionState.SUCCEEDED) {
                    return execution;
                }
                if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                    throw new AthenaQueryException(
                            id,
                            state.toString(),
                            status.stateChangeReason(),
                            status.athenaError() == null
                                    ? null
                                    : status.athenaError().errorCategory(),
                            null);
                }
                long remaining = deadline - nanoClock.getAsLong();
                if (remaining <= 0) {
                    stop(id);
                    throw new AthenaQueryException(
                            id,
                            "stopped",
                            "still " + state + " after queryTimeout=" + options.queryTimeout(),
                            null,
                            "Raise the option '" + AthenaSourceOptions.QUERY_TIMEOUT + "'");
                }
                AthenaCallRetrier.pause(
                        polling, Duration.ofNanos(Math.min(polling.delay(poll).toNanos(), remaining)));
            }
        } catch (AthenaCallRetrier.AthenaInterruptedException | AbortedException e) {
            throw interrupted(id);
        } catch (SdkClientException e) {
            // The SDK reports an interrupt that hits an HTTP call as a client error, with or without the interrupt
            // flag.
            if (isInterruption(e)) {
                throw interrupted(id);
            }
            throw e;
        }
    }

    /** From pollInterval doubling up to MAX_POLL_INTERVAL, or pollInterval if that is longer. */
    static Backoff pollingBackoff(Duration pollInterval) {
        return Backoff.doubling(
                pollInterval, pollInterval.compareTo(MAX_POLL_INTERVAL) > 0 ? pollInterval : MAX_POLL_INTERVAL);
    }

    private static boolean isInterruption(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    private AthenaQueryException interrupted(String id) {
        stop(id);
        return new AthenaQueryException(
                id, "stopped", "the waiting thread was interrupted (job cancelled)", null, null);
    }

    private void stop(String id) {
        // Stop even when this thread's interrupt flag is set: the SDK call itself does not check it.
        boolean interrupted = Thread.interrupted();
        try {
            retrier.call("StopQueryExecution", () -> athena.stopQueryExecution(r -> r.queryExecutionId(id)));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<AthenaColumn> columns(String id) {
        GetQueryResultsResponse page = retrier.call(
                "GetQueryResults",
                () -> athena.getQueryResults(r -> r.queryExecutionId(id).maxResults(1)));
        return columns(page.resultSet().resultSetMetadata().columnInfo());
    }

    static List<AthenaColumn> columns(List<ColumnInfo> infos) {
        List<AthenaColumn> columns = new ArrayList<>(infos.size());
        for (ColumnInfo info : infos) {
            columns.add(new AthenaColumn(
                    info.name(),
                    info.type(),
                    info.precision() == null ? 0 : info.precision(),
                    info.scale() == null ? 0 : info.scale()));
        }
        return columns;
    }
}
