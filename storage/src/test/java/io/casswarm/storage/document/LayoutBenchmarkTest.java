package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.CassandraExtension;
import io.casswarm.storage.testing.ClosedLoop;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Benchmark, not a test (skipped unless -Dbench=true): the mixed workload of issue 9 (reads by
 * id, creates, conditional updates, all in ONE collection) on layout v1 (a partition per
 * collection) and layout v2 (a partition per document), straight to the ring with the same CQL
 * storage runs, and through storage's HTTP API, in interleaved rounds of one run; CAS write
 * timeouts counted per path. Then partition sizes after loading one collection.
 * <pre>mvn -B -pl storage -am verify -Dtest=LayoutBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true</pre>
 * Options: bench.seconds (per path, 24), bench.rounds (3), bench.concurrency (32),
 * bench.readPercent (60, the rest half creates, half conditional updates), bench.documents
 * (documents loaded into one collection for the partition sizes, 1000000; 0 skips).
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@EnabledIfSystemProperty(named = "bench", matches = "true|")
class LayoutBenchmarkTest {

    private static final int PRELOADED = 2000;

    @Inject
    EmbeddedServer server;

    @Inject
    CqlSession session;

    @Inject
    CassandraSettings settings;

    private final AtomicLong casTimeouts = new AtomicLong();

    @Test
    void layoutV1VersusV2StraightAndThroughTheApi() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 24);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        int readPercent = Integer.getInteger("bench.readPercent", 60);
        String ks = settings.keyspace();
        String body = "{\"status\":\"open\",\"owner\":\"bench\",\"count\":42,\"text\":\"" + "x".repeat(900) + "\"}";
        // Layout v1: every document of the collection in one partition (the old statements).
        PreparedStatement v1Read = prepare("SELECT id, version, created_at, updated_at, expires_at, body, write_id FROM "
                + ks + ".documents WHERE tenant = ? AND collection = ? AND id = ?", true);
        PreparedStatement v1Create = prepare("UPDATE " + ks + ".documents USING TTL 0 SET version = 1, created_at = ?,"
                + " updated_at = ?, body = ?, fields = ?, write_id = ? WHERE tenant = ? AND collection = ? AND id = ?"
                + " IF version = null", false);
        PreparedStatement v1Update = prepare("UPDATE " + ks + ".documents USING TTL 0 SET version = ?, updated_at = ?,"
                + " body = ?, write_id = ? WHERE tenant = ? AND collection = ? AND id = ? IF version = ?", false);
        // Layout v2: the statements DocumentRepository runs (document row + record + index rows).
        PreparedStatement v2Read = prepare("SELECT " + DocumentRepository.DOC_COLUMNS + " FROM " + ks
                + ".documents_v2 WHERE scope = ? AND id = ? AND entry = ''", true);
        String set = " SET listed = ?, version = ?, created_at = ?, updated_at = ?, body = ?, eqs = ?, paths = ?";
        PreparedStatement v2Create = prepare("UPDATE " + ks + ".documents_v2" + set
                + " WHERE scope = ? AND id = ? AND entry = '' IF body = null", false);
        PreparedStatement v2Update = prepare("UPDATE " + ks + ".documents_v2" + set
                + " WHERE scope = ? AND id = ? AND entry = '' IF version = ?", false);
        PreparedStatement v2Record = prepare("UPDATE " + ks + ".documents_v2 USING TTL 86400 SET writes[?] = ?"
                + " WHERE scope = ? AND id = ? AND entry = ''", false);
        PreparedStatement v2Field = prepare("UPDATE " + ks + ".documents_v2 SET field = ?, num = ?"
                + " WHERE scope = ? AND id = ? AND entry = ?", false);
        var recordType = (com.datastax.oss.driver.api.core.type.UserDefinedType) v2Record.getVariableDefinitions()
                .get(1).getType();
        Set<String> eqs = Set.of("status\u001fs:open", "owner\u001fs:bench", "count\u001fn:42");
        Set<String> paths = Set.of("status", "owner", "count", "text");

        Instant now = Instant.now();
        long[] v1Versions = new long[PRELOADED];
        long[] v2Versions = new long[PRELOADED];
        for (int i = 0; i < PRELOADED; i++) {
            session.execute(v1Create.bind(now, now, body, Set.of(), UUID.randomUUID(), "bench", "one", "r" + i));
            session.execute(v2Create.bind("bench/one", 1L, now, now, body, eqs, paths, "bench/one", "r" + i));
            v1Versions[i] = 1;
            v2Versions[i] = 1;
        }
        Api api = new Api(server.getURI());
        String apiDocs = "/internal/v1/tenants/bench/collections/api/documents";
        for (int start = 0; start < PRELOADED; start += 100) {
            List<Object> items = new ArrayList<>();
            for (int i = start; i < start + 100; i++) {
                items.add(Map.of("id", "r" + i, "body", Api.json(body)));
            }
            api.post("/internal/v1/tenants/bench/collections/api/bulk", Map.of("documents", items));
        }
        int writeShare = (100 - readPercent) / 2;
        IntFunction<CompletionStage<?>> v1 = n -> {
            int dice = ThreadLocalRandom.current().nextInt(100);
            int i = ThreadLocalRandom.current().nextInt(PRELOADED);
            if (dice < readPercent) {
                return session.executeAsync(v1Read.bind("bench", "one", "r" + i));
            }
            if (dice < readPercent + writeShare) {
                Instant t = Instant.now();
                return cas(session.executeAsync(v1Create.bind(t, t, body, Set.of(), UUID.randomUUID(), "bench", "one",
                        "c" + UUID.randomUUID())));
            }
            long version;
            synchronized (v1Versions) {
                version = v1Versions[i];
            }
            return cas(session.executeAsync(v1Update.bind(version + 1, Instant.now(), body, UUID.randomUUID(), "bench",
                    "one", "r" + i, version)).thenApply(rows -> {
                        if (rows.wasApplied()) {
                            synchronized (v1Versions) {
                                v1Versions[i] = Math.max(v1Versions[i], version + 1);
                            }
                        }
                        return rows;
                    }));
        };
        IntFunction<CompletionStage<?>> v2 = n -> {
            int dice = ThreadLocalRandom.current().nextInt(100);
            int i = ThreadLocalRandom.current().nextInt(PRELOADED);
            if (dice < readPercent) {
                return session.executeAsync(v2Read.bind("bench/one", "r" + i));
            }
            boolean create = dice < readPercent + writeShare;
            String id = create ? "c" + UUID.randomUUID() : "r" + i;
            long version;
            synchronized (v2Versions) {
                version = create ? 0 : v2Versions[i];
            }
            Instant t = Instant.now();
            var document = create
                    ? v2Create.bind("bench/one", 1L, t, t, body, eqs, paths, "bench/one", id)
                    : v2Update.bind("bench/one", version + 1, t, t, body, eqs, paths, "bench/one", id, version);
            BatchStatement batch = BatchStatement.builder(DefaultBatchType.UNLOGGED).addStatement(document)
                    .addStatement(v2Record.bind(UUID.randomUUID().toString(), recordType.newValue("fp", version + 1, t),
                            "bench/one", id))
                    .addStatement(v2Field.bind("bench/one/count", BigDecimal.valueOf(42), "bench/one", id, "count#n"))
                    .setConsistencyLevel(settings.consistency()).setSerialConsistencyLevel(settings.serialConsistency())
                    .build();
            return cas(session.executeAsync(batch).thenApply(rows -> {
                if (!create && rows.wasApplied()) {
                    synchronized (v2Versions) {
                        v2Versions[i] = Math.max(v2Versions[i], version + 1);
                    }
                }
                return rows;
            }));
        };
        IntFunction<CompletionStage<?>> http = n -> {
            int dice = ThreadLocalRandom.current().nextInt(100);
            int i = ThreadLocalRandom.current().nextInt(PRELOADED);
            if (dice < readPercent) {
                return api.request("GET", apiDocs + "/r" + i).sendForStatus().thenApply(s -> expect(s, 200));
            }
            if (dice < readPercent + writeShare) {
                return api.request("POST", apiDocs).body("application/json", "{\"body\":" + body + "}")
                        .sendForStatus().thenApply(s -> expect(s, 201));
            }
            // The API's conditional update: a merge patch (read + IF version = read).
            return api.request("PATCH", apiDocs + "/r" + i).body("application/merge-patch+json", "{\"count\":" + n + "}")
                    .sendForStatus().thenApply(s -> expect(s, 200));
        };

        run("warm-up", v1, concurrency, 4);
        run("warm-up", v2, concurrency, 4);
        run("warm-up", http, concurrency, 4);
        int roundSeconds = Math.max(1, seconds / rounds);
        Result r1 = null;
        Result r2 = null;
        Result rh = null;
        for (int round = 0; round < rounds; round++) {
            r1 = plus(r1, run("driver-v1", v1, concurrency, roundSeconds));
            r2 = plus(r2, run("driver-v2", v2, concurrency, roundSeconds));
            rh = plus(rh, run("storage-v2", http, concurrency, roundSeconds));
        }
        System.out.printf("%nBENCH workload: %d%% reads by id, %d%% creates, %d%% conditional updates, ONE collection,"
                + " 1 KB bodies, %d in flight, %d s per path in %d interleaved rounds%n", readPercent, writeShare,
                100 - readPercent - writeShare, concurrency, roundSeconds * rounds, rounds);
        System.out.println("BENCH " + r1);
        System.out.println("BENCH " + r2);
        System.out.println("BENCH " + rh);
        System.out.printf("BENCH ratio driver v2 / v1 throughput: %.2f; storage API (v2) / driver v2: %.2f%n",
                r2.throughput() / r1.throughput(), rh.throughput() / r2.throughput());

        int documents = Integer.getInteger("bench.documents", 1_000_000);
        if (documents > 0) {
            partitionSizes(documents, body, v1Create, v2Create, eqs, paths);
        }
    }

    /**
     * Paxos v1 against v2 on the same workload: two throwaway rings of bench.paxos.nodes nodes (3,
     * as the stack's; same image, the variant set by the image's CASSANDRA_PAXOS_VARIANT), RF =
     * nodes, reads at QUORUM and LWTs as storage sends them, interleaved rounds. v2's gain is
     * fewer round trips between replicas, so a one-node ring cannot show it. Skipped with
     * -Dbench.paxos=false.
     */
    @Test
    @EnabledIfSystemProperty(named = "bench.paxos", matches = "true|")
    void paxosV1VersusV2() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 24);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        int nodes = Integer.getInteger("bench.paxos.nodes", 3);
        Result[] totals = new Result[2];
        List<GenericContainer<?>> rings = new ArrayList<>();
        List<CqlSession> sessions = new ArrayList<>();
        List<IntFunction<CompletionStage<?>>> workloads = new ArrayList<>();
        try {
            for (String variant : new String[] {"v1", "v2"}) {
                List<GenericContainer<?>> ring = startRing(variant, nodes);
                rings.addAll(ring);
                CqlSession cql = connect(ring.get(0));
                sessions.add(cql);
                String got = cql.execute("SELECT value FROM system_views.settings WHERE name = 'paxos_variant'").one()
                        .getString("value");
                if (!variant.equals(got)) {
                    throw new IllegalStateException("ring runs paxos " + got + ", not " + variant);
                }
                cql.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                        + nodes + "}");
                cql.execute("CREATE TABLE bench.lwt (id text PRIMARY KEY, version bigint, body text)");
                // As storage runs them: reads and the LWTs' commits at QUORUM, the Paxos rounds SERIAL.
                PreparedStatement read = cql.prepare(quorum("SELECT version, body FROM bench.lwt WHERE id = ?"));
                PreparedStatement create = cql.prepare(quorum("INSERT INTO bench.lwt (id, version, body) VALUES (?, 1, ?) IF NOT EXISTS"));
                PreparedStatement update = cql.prepare(quorum("UPDATE bench.lwt SET version = ?, body = ? WHERE id = ? IF version = ?"));
                String body = "x".repeat(1000);
                long[] versions = new long[PRELOADED];
                for (int i = 0; i < PRELOADED; i++) {
                    cql.execute(create.bind("r" + i, body));
                    versions[i] = 1;
                }
                workloads.add(n -> {
                    int dice = ThreadLocalRandom.current().nextInt(100);
                    int i = ThreadLocalRandom.current().nextInt(PRELOADED);
                    if (dice < 50) {
                        return cql.executeAsync(read.bind("r" + i));
                    }
                    if (dice < 75) {
                        return cas(cql.executeAsync(create.bind("c" + UUID.randomUUID(), body)));
                    }
                    long version;
                    synchronized (versions) {
                        version = versions[i];
                    }
                    return cas(cql.executeAsync(update.bind(version + 1, body, "r" + i, version)).thenApply(rows -> {
                        if (rows.wasApplied()) {
                            synchronized (versions) {
                                versions[i] = Math.max(versions[i], version + 1);
                            }
                        }
                        return rows;
                    }));
                });
            }
            run("warm-up", workloads.get(0), concurrency, 4);
            run("warm-up", workloads.get(1), concurrency, 4);
            int roundSeconds = Math.max(1, seconds / rounds);
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < 2; v++) {
                    int which = round % 2 == 0 ? v : 1 - v;
                    totals[which] = plus(totals[which], run("paxos-v" + (which + 1), workloads.get(which), concurrency,
                            roundSeconds));
                }
            }
            System.out.printf("%nBENCH paxos: 50%% reads, 25%% INSERT IF NOT EXISTS, 25%% UPDATE IF version = ?, 1 KB,"
                    + " %d in flight, a %d-node ring each (RF %d), %d s per variant in %d interleaved rounds%n", concurrency,
                    nodes, nodes, roundSeconds * rounds, rounds);
            System.out.println("BENCH " + totals[0]);
            System.out.println("BENCH " + totals[1]);
            System.out.printf("BENCH ratio paxos v2 / v1 throughput: %.2f%n", totals[1].throughput() / totals[0].throughput());
        } finally {
            sessions.forEach(CqlSession::close);
            rings.forEach(GenericContainer::stop);
        }
    }

    /**
     * A throwaway ring of {@code nodes} nodes on a network of its own, started one node at a time
     * (Cassandra joins one at a time), tokens spread evenly, no bootstrap (it is empty).
     */
    private static List<GenericContainer<?>> startRing(String variant, int nodes) {
        Network network = Network.newNetwork();
        List<GenericContainer<?>> ring = new ArrayList<>();
        BigDecimal step = BigDecimal.valueOf(2).pow(64).divide(BigDecimal.valueOf(nodes), RoundingMode.DOWN);
        for (int i = 0; i < nodes; i++) {
            String token = BigDecimal.valueOf(Long.MIN_VALUE).add(step.multiply(BigDecimal.valueOf(i))).toBigInteger().toString();
            var node = new GenericContainer<>("casswarm/cassandra:5.0")
                    .withNetwork(network)
                    .withNetworkAliases("paxos-" + variant + "-" + i)
                    .withExposedPorts(9042)
                    .withEnv("MAX_HEAP_SIZE", "512M")
                    .withEnv("CASSANDRA_DC", "datacenter1")
                    .withEnv("CASSANDRA_NUM_TOKENS", "1")
                    .withEnv("CASSANDRA_SEEDS", "paxos-" + variant + "-0")
                    // The image writes cassandra.yaml from these (a -D setting loses to the
                    // file); v1 with its own default purging, v2 with the stack's.
                    .withEnv("CASSANDRA_PAXOS_VARIANT", variant)
                    .withEnv("CASSANDRA_PAXOS_STATE_PURGING", variant.equals("v1") ? "legacy" : "gc_grace")
                    .withEnv("JVM_EXTRA_OPTS", "-Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=1000"
                            + " -Dcassandra.auto_bootstrap=false -Dcassandra.initial_token=" + token
                            + " -Dcassandra.superuser_setup_delay_ms=0")
                    .waitingFor(Wait.forLogMessage(".*Starting listening for CQL clients.*", 1)
                            .withStartupTimeout(Duration.ofMinutes(4)));
            node.start();
            ring.add(node);
        }
        return ring;
    }

    private static SimpleStatement quorum(String cql) {
        return SimpleStatement.builder(cql).setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
                .setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL).build();
    }

    /**
     * A session to a throwaway ring. Its first connection can still be dropped just after "Starting
     * listening for CQL clients" (seen once here): the driver's own reconnect-on-init keeps trying
     * (its reconnection policy's backoff) for up to a minute.
     */
    private static CqlSession connect(GenericContainer<?> ring) throws Exception {
        return CqlSession.builder()
                // The node's own address on its network, which this host reaches: the driver then
                // finds the other nodes at theirs.
                .addContactPoint(new InetSocketAddress(ring.getContainerInfo().getNetworkSettings()
                        .getNetworks().values().iterator().next().getIpAddress(), 9042))
                .withLocalDatacenter("datacenter1")
                // No roles set-up on these throwaway rings: the default superuser.
                .withAuthCredentials("cassandra", "cassandra")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, true).build())
                .buildAsync().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    /** Loads one collection in both layouts with the create statements, then asks nodetool. */
    private void partitionSizes(int documents, String body, PreparedStatement v1Create, PreparedStatement v2Create,
                                Set<String> eqs, Set<String> paths) throws Exception {
        String ks = settings.keyspace();
        // Plain upserts (no LWT) to load fast: the same cells the creates write.
        PreparedStatement v1Load = prepare("UPDATE " + ks + ".documents SET version = 1, created_at = ?, updated_at = ?,"
                + " body = ?, fields = ?, write_id = ? WHERE tenant = ? AND collection = ? AND id = ?", false);
        PreparedStatement v2Load = prepare("UPDATE " + ks + ".documents_v2 SET listed = ?, version = 1, created_at = ?,"
                + " updated_at = ?, body = ?, eqs = ?, paths = ? WHERE scope = ? AND id = ? AND entry = ''", false);
        Semaphore inFlight = new Semaphore(64);
        long start = System.nanoTime();
        for (int i = 0; i < documents; i++) {
            Instant t = Instant.now();
            inFlight.acquire(2);
            session.executeAsync(v1Load.bind(t, t, body, Set.of(), UUID.randomUUID(), "size", "big", "d" + i))
                    .whenComplete((r, f) -> inFlight.release());
            session.executeAsync(v2Load.bind("size/big", t, t, body, eqs, paths, "size/big", "d" + i))
                    .whenComplete((r, f) -> inFlight.release());
        }
        inFlight.acquire(64);
        System.out.printf("BENCH loaded %,d documents into one collection in both layouts in %d s%n", documents,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        String container = DockerClientFactory.instance().client().listContainersCmd()
                .withAncestorFilter(List.of("casswarm/cassandra:5.0")).exec().stream()
                .filter(c -> c.getPorts() != null && java.util.Arrays.stream(c.getPorts())
                        .anyMatch(p -> p.getPublicPort() != null && System.getProperty("casswarm.cassandra.contact-points")
                                .endsWith(":" + p.getPublicPort())))
                .findFirst().orElseThrow().getId();
        exec(container, "nodetool", "flush", ks);
        for (String table : new String[] {"documents", "documents_v2"}) {
            String stats = exec(container, "nodetool", "tablestats", ks + "." + table);
            stats.lines().filter(line -> line.contains("Compacted partition") || line.contains("Space used (live)")
                            || line.contains("Number of partitions"))
                    .forEach(line -> System.out.println("BENCH " + table + ": " + line.strip()));
        }
    }

    private static String exec(String container, String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("docker", "exec", container));
        all.addAll(List.of(command));
        Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor(5, TimeUnit.MINUTES);
        return out;
    }

    private PreparedStatement prepare(String cql, boolean read) {
        SimpleStatement statement = SimpleStatement.builder(cql).setConsistencyLevel(settings.consistency())
                .setSerialConsistencyLevel(settings.serialConsistency()).setIdempotence(read).build();
        return session.prepare(statement);
    }

    private <T> CompletionStage<T> cas(CompletionStage<T> stage) {
        return stage.whenComplete((rows, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof WriteTimeoutException) {
                casTimeouts.incrementAndGet();
            }
        });
    }

    private static int expect(int status, int expected) {
        if (status != expected) {
            throw new IllegalStateException("status " + status + ", expected " + expected);
        }
        return status;
    }

    record Result(String name, long ops, long errors, long casTimeouts, double seconds, Histogram latency) {
        double throughput() {
            return ops / seconds;
        }

        @Override
        public String toString() {
            return String.format("%-11s %7.0f ops/s  (%d ops, %d errors, %d CAS write timeouts)  latency ms p50 %.1f"
                            + "  p99 %.1f", name, throughput(), ops, errors, casTimeouts,
                    latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0);
        }
    }

    private static Result plus(Result a, Result b) {
        if (a == null) {
            return b;
        }
        Histogram sum = a.latency.copy();
        sum.add(b.latency);
        return new Result(a.name, a.ops + b.ops, a.errors + b.errors, a.casTimeouts + b.casTimeouts,
                a.seconds + b.seconds, sum);
    }

    private Result run(String name, IntFunction<CompletionStage<?>> operation, int concurrency, int seconds)
            throws InterruptedException {
        long timeoutsBefore = casTimeouts.get();
        ClosedLoop.Result loop = ClosedLoop.run(name, operation, concurrency, seconds);
        return new Result(name, loop.ops(), loop.errors(), casTimeouts.get() - timeoutsBefore, loop.seconds(), loop.latency());
    }
}
