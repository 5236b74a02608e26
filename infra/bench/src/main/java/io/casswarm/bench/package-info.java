/**
 * {@code infra/cluster bench}: a benchmark any user runs against a running cluster. Reading order:
 * <ol>
 *   <li>{@link io.casswarm.bench.BenchOptions} and {@link io.casswarm.bench.Mix}: what a run is
 *       asked to do;</li>
 *   <li>{@link io.casswarm.bench.BenchMain}: the run on the host: warm-up round, then interleaved
 *       rounds of the three paths, CPU and Elasticsearch counters around them, results file and
 *       chart;</li>
 *   <li>{@link io.casswarm.bench.LoadLoop}: the closed loop every path runs (N requests in
 *       flight, HdrHistogram latencies, a point per second, errors by kind);</li>
 *   <li>the paths: {@link io.casswarm.bench.EdgeWorkload} (the public API through edge, from the
 *       host) and {@link io.casswarm.bench.RingWorker} (a one-off container of storage's image on
 *       the stack's network, running {@link io.casswarm.bench.ring.RingMain}: storage's own
 *       document service straight on the ring, and the same statements without their Paxos
 *       conditions);</li>
 *   <li>what is read from the cluster: {@link io.casswarm.bench.Swarm} (tasks, their containers,
 *       each node's engine), {@link io.casswarm.bench.CpuSampler} ({@code docker stats}),
 *       {@link io.casswarm.bench.ElasticsearchCounters};</li>
 *   <li>what is written: {@link io.casswarm.bench.Summary} (medians and ratios),
 *       {@link io.casswarm.bench.ResultsFile} (JSON), {@link io.casswarm.bench.Chart} (PNG).</li>
 * </ol>
 */
package io.casswarm.bench;
