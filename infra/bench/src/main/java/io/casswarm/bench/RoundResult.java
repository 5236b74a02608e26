package io.casswarm.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * One path's round: what the closed loop counted and measured. The ring worker prints it as a
 * JSON line and the host reads it back, so it is the wire type between the two.
 *
 * @param path          edge, lwt-cql or plain-cql
 * @param round         0 for the warm-up round, then 1, 2, ...
 * @param startedAt     epoch milliseconds at the round's start (for the chart's time axis)
 * @param seconds       from the first request sent to the last answer received
 * @param ops           requests answered as expected
 * @param errors        requests that failed or got another answer
 * @param throughput    ops per second
 * @param operations    ops by operation (read, patch, create)
 * @param errorsByKind  errors by HTTP status ("HTTP 503") or exception class
 * @param timeline      one point per second of the round
 * @param histogram     latencies of the ops in microseconds, HdrHistogram's compressed form in base64
 * @param cpu           cores used per service over the round ({@code docker stats}); set by the host
 * @param prometheus    what the stack's Prometheus saw over the round ({@link PrometheusReadings});
 *                      set by the host, empty where the stack runs no Prometheus
 * @param waiting       per service, its threads' wait for a CPU over the round, in threads waiting
 *                      on average ({@link RunQueue}); set by the host
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoundResult(
        String path,
        int round,
        long startedAt,
        double seconds,
        long ops,
        long errors,
        double throughput,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double maxMs,
        Map<String, Long> operations,
        Map<String, Long> errorsByKind,
        List<TimePoint> timeline,
        String histogram,
        Map<String, Double> cpu,
        Map<String, Double> prometheus,
        Map<String, Double> waiting) {

    public RoundResult {
        // The ring worker's rounds arrive as JSON without the host's readings.
        cpu = cpu == null ? Map.of() : cpu;
        prometheus = prometheus == null ? Map.of() : prometheus;
        waiting = waiting == null ? Map.of() : waiting;
    }

    /** One second of a round: answers in it, their p50 and p99, errors in it. */
    public record TimePoint(double t, long ops, double p50Ms, double p99Ms, long errors) {
    }

    /** Written to JSON for readers; read back from {@code round}. */
    @JsonProperty("warmup")
    public boolean warmup() {
        return round == 0;
    }

    public RoundResult withCpu(Map<String, Double> cpuByService) {
        return new RoundResult(path, round, startedAt, seconds, ops, errors, throughput, p50Ms, p95Ms, p99Ms, maxMs,
                operations, errorsByKind, timeline, histogram, Map.copyOf(cpuByService), prometheus, waiting);
    }

    public RoundResult withPrometheus(Map<String, Double> readings) {
        return new RoundResult(path, round, startedAt, seconds, ops, errors, throughput, p50Ms, p95Ms, p99Ms, maxMs,
                operations, errorsByKind, timeline, histogram, cpu, Map.copyOf(readings), waiting);
    }

    public RoundResult withWaiting(Map<String, Double> waitingByService) {
        return new RoundResult(path, round, startedAt, seconds, ops, errors, throughput, p50Ms, p95Ms, p99Ms, maxMs,
                operations, errorsByKind, timeline, histogram, cpu, prometheus, Map.copyOf(waitingByService));
    }

    public Histogram latencies() {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(histogram)), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("round " + round + " of " + path + " carries a damaged histogram", e);
        }
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
