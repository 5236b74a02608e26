package io.casswarm.storage.document;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.casswarm.storage.cassandra.CassandraSettings;
import io.casswarm.storage.testing.Api;
import io.casswarm.storage.testing.CassandraExtension;
import io.casswarm.storage.testing.ClosedLoop;
import io.casswarm.storage.testing.ClosedLoop.Result;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * Benchmark, not a test: storage's HTTP API against the same operations sent straight to
 * Cassandra with the driver, in one run, on the same single-node Cassandra. Run with
 * <pre>mvn -B -pl storage -am verify -Dtest=DocumentApiBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true</pre>
 * Options (system properties): bench.seconds (measured seconds per path, 20), bench.rounds
 * (interleaved driver/http rounds the seconds are split into, 4), bench.concurrency (requests
 * in flight, 32), bench.readPercent (80).
 *
 * <p>Workload per path: a mix of reads by id (of 2,000 preloaded documents) and creates with a
 * fresh id, 1 KB JSON bodies. The driver path runs the CQL storage runs for them: a
 * LOCAL_QUORUM SELECT by primary key, and the create LWT {@code UPDATE ... IF version = null}.
 */
@Tag("container")
@ExtendWith(CassandraExtension.class)
@MicronautTest
@EnabledIfSystemProperty(named = "bench", matches = "true|")
class DocumentApiBenchmarkTest {

    private static final int PRELOADED = 2000;

    @Inject
    EmbeddedServer server;

    @Inject
    CqlSession session;

    @Inject
    CassandraSettings settings;

    @Test
    void storageApiVersusDriver() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        int readPercent = Integer.getInteger("bench.readPercent", 80);
        String tenant = "bench";
        String body = body();
        String table = settings.keyspace() + ".documents";
        PreparedStatement read = session.prepare(SimpleStatement.builder(
                        "SELECT id, version, created_at, updated_at, expires_at, body, write_id FROM " + table
                                + " WHERE tenant = ? AND collection = ? AND id = ?")
                .setConsistencyLevel(settings.consistency()).setIdempotence(true).build());
        PreparedStatement create = session.prepare(SimpleStatement.builder("UPDATE " + table
                        + " USING TTL 0 SET version = 1, created_at = ?, updated_at = ?, expires_at = null, body = ?,"
                        + " fields = ?, write_id = ? WHERE tenant = ? AND collection = ? AND id = ? IF version = null")
                .setConsistencyLevel(settings.consistency()).setSerialConsistencyLevel(settings.serialConsistency())
                .build());
        Api api = new Api(server.getURI());

        // Preload the documents both paths read, through storage (so both read identical rows).
        String preload = "/internal/v1/tenants/" + tenant + "/collections/read/bulk";
        for (int start = 0; start < PRELOADED; start += 100) {
            List<Object> items = new ArrayList<>();
            for (int i = start; i < start + 100; i++) {
                items.add(Map.of("id", "r" + i, "body", Api.json(body)));
            }
            api.post(preload, Map.of("documents", items));
        }

        IntFunction<CompletionStage<?>> direct = n -> {
            if (ThreadLocalRandom.current().nextInt(100) < readPercent) {
                return session.executeAsync(read.bind(tenant, "read", "r" + ThreadLocalRandom.current().nextInt(PRELOADED)))
                        .thenApply(rows -> {
                            if (rows.one() == null) {
                                throw new IllegalStateException("missing");
                            }
                            return rows;
                        });
            }
            Instant now = Instant.now();
            return session.executeAsync(create.bind(now, now, body, Set.of("k=v"), UUID.randomUUID(), tenant,
                    "direct", "d" + n + "-" + UUID.randomUUID())).thenApply(rows -> {
                        if (!rows.wasApplied()) {
                            throw new IllegalStateException("not applied");
                        }
                        return rows;
                    });
        };
        String createBody = "{\"body\":" + body + "}";
        IntFunction<CompletionStage<?>> http = n -> {
            if (ThreadLocalRandom.current().nextInt(100) < readPercent) {
                return api.request("GET", "/internal/v1/tenants/" + tenant + "/collections/read/documents/r"
                        + ThreadLocalRandom.current().nextInt(PRELOADED)).sendForStatus().thenApply(status -> expect(status, 200));
            }
            return api.request("POST", "/internal/v1/tenants/" + tenant + "/collections/http/documents")
                    .body("application/json", createBody).sendForStatus().thenApply(status -> expect(status, 201));
        };

        run("warm-up driver", direct, concurrency, Math.max(5, seconds / 4));
        run("warm-up http", http, concurrency, Math.max(5, seconds / 4));
        // Interleaved rounds (driver, http, http, driver, ...): on a shared machine, background
        // load then weighs on both paths alike instead of on whichever ran second.
        int rounds = Integer.getInteger("bench.rounds", 4);
        int roundSeconds = Math.max(1, seconds / rounds);
        Result driver = null;
        Result storage = null;
        for (int round = 0; round < rounds; round++) {
            boolean driverFirst = round % 2 == 0;
            Result first = run(driverFirst ? "driver" : "storage-http", driverFirst ? direct : http, concurrency, roundSeconds);
            Result second = run(driverFirst ? "storage-http" : "driver", driverFirst ? http : direct, concurrency, roundSeconds);
            Result d = driverFirst ? first : second;
            Result h = driverFirst ? second : first;
            driver = driver == null ? d : driver.plus(d);
            storage = storage == null ? h : storage.plus(h);
        }

        System.out.println();
        System.out.printf("BENCH workload: %d%% reads by id / %d%% creates (LWT), 1 KB bodies, %d in flight, "
                        + "%d s per path in %d interleaved rounds%n",
                readPercent, 100 - readPercent, concurrency, roundSeconds * rounds, rounds);
        System.out.println("BENCH " + driver);
        System.out.println("BENCH " + storage);
        System.out.printf("BENCH ratio storage-http / driver throughput: %.2f%n", storage.throughput() / driver.throughput());
    }

    /** The HTTP client only checks the status (the driver path does not decode bodies either). */
    private static int expect(int status, int expected) {
        if (status != expected) {
            throw new IllegalStateException("status " + status + ", expected " + expected);
        }
        return status;
    }

    private static Result run(String name, IntFunction<CompletionStage<?>> operation, int concurrency, int seconds)
            throws InterruptedException {
        return ClosedLoop.run(name, operation, concurrency, seconds);
    }

    private static String body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "open");
        body.put("owner", "bench");
        body.put("count", 42);
        body.put("text", "x".repeat(900));
        return Api.text(body);
    }
}
