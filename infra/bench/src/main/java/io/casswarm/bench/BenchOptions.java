package io.casswarm.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one run does. The user's options (see {@link #USAGE}) plus what {@code infra/cluster
 * bench} passes: the repository root, the stack's name and where edge answers.
 *
 * @param seconds        measured seconds per path and round
 * @param warmupSeconds  seconds of the warm-up round per path: long enough for the JIT of gate,
 *                       storage and the ring worker to settle (on 2 cores their C2 compiler
 *                       thread took a third to a half of their CPU for the first two to three
 *                       minutes of load; rounds measured before that counted compilation as the
 *                       cost of requests, docs/PERFORMANCE.md)
 * @param concurrency    requests in flight per path
 * @param mix            shares of reads, patches and creates
 * @param sizeBytes      size of a document body as compact JSON
 * @param collections    collections the documents are spread over
 * @param documents      documents created per collection before the rounds (read and patched)
 * @param rounds         measured rounds after the warm-up round
 * @param out            folder of the results file, the chart and the ring worker's log
 * @param root           the repository (infra/.secrets/admin_password is read from it)
 * @param stack          the swarm stack's name
 * @param edges          base URLs of edge, one per edge node; clients are spread over them
 * @param paths          the paths to run (all three unless {@code --paths} says otherwise)
 * @param passwordFile   the administrator's password, for the edge path
 * @param cassandraPasswordFile storage's Cassandra role's password, for the ring paths (the ring
 *                       worker is a plain container: it gets no Docker secret); the Cassandra
 *                       administrator's, to make the benchmark's keyspace, is the file
 *                       {@code cassandra_admin_password} beside it
 */
public record BenchOptions(
        int seconds,
        int warmupSeconds,
        int concurrency,
        Mix mix,
        int sizeBytes,
        int collections,
        int documents,
        int rounds,
        Path out,
        Path root,
        String stack,
        List<URI> edges,
        List<String> paths,
        Path passwordFile,
        Path cassandraPasswordFile) {

    /** Every path, in the order of the warm-up round. */
    public static final List<String> PATHS = List.of("edge", "lwt-cql", "plain-cql");

    /** Smallest body: the fields every document has (status, owner, count) and some padding. */
    public static final int MIN_SIZE = 96;
    /** storage's largest body (casswarm.documents.max-body-bytes). */
    public static final int MAX_SIZE = 1_048_576;

    public static final String USAGE = """
            Usage: infra/cluster bench [--duration S] [--concurrency N] [--mix read=80,patch=15,create=5]
                                       [--size BYTES] [--collections N] [--documents N] [--rounds N] [--out DIR]
              --duration S      measured seconds per path and round (20)
              --warmup S        seconds of the warm-up round per path, run before any is measured (120:
                                the services' JIT compiler settles after 2 to 3 minutes of load on 2 cores)
              --concurrency N   requests in flight per path (32)
              --mix ...         shares in percent of reads by id, merge patches and creates (read=80,patch=15,create=5)
              --size BYTES      document body size as compact JSON (1024; %d to %d)
              --collections N   collections the documents are spread over (16)
              --documents N     documents created per collection before the rounds, the ones read and patched (100)
              --rounds N        measured rounds after the warm-up round; each runs every path once (3)
              --out DIR         where results.json, chart.png and ring-worker.log go
                                (infra/bench/target/runs/<UTC time>)
              --paths P,...     only these of edge, lwt-cql, plain-cql (all three)
              --password-file F the administrator's password, for the edge path
                                (infra/.secrets/admin_password of the checkout that ran infra/cluster up)
              --cassandra-password-file F  storage's Cassandra password, for the ring paths
                                (infra/.secrets/cassandra_storage_password of that checkout; the
                                administrator's, cassandra_admin_password, is read beside it)
            """.formatted(MIN_SIZE, MAX_SIZE);

    public BenchOptions {
        require(seconds >= 2, "--duration must be at least 2 seconds");
        require(warmupSeconds >= 1, "--warmup must be at least 1 second");
        require(concurrency >= 1 && concurrency <= 1024, "--concurrency must be 1 to 1024");
        require(sizeBytes >= MIN_SIZE && sizeBytes <= MAX_SIZE, "--size must be " + MIN_SIZE + " to " + MAX_SIZE + " bytes");
        require(collections >= 1 && collections <= 1000, "--collections must be 1 to 1000");
        require(documents >= 1 && documents <= 10_000, "--documents must be 1 to 10000");
        require(rounds >= 1 && rounds <= 100, "--rounds must be 1 to 100");
        require(!edges.isEmpty(), "no edge address: --edge URL[,URL...] (infra/cluster bench passes it)");
        edges = List.copyOf(edges);
        require(!paths.isEmpty() && PATHS.containsAll(paths), "--paths takes one or more of " + String.join(",", PATHS));
        paths = List.copyOf(paths);
    }

    public static BenchOptions parse(String... args) {
        int seconds = 20;
        int warmup = 120;
        int concurrency = 32;
        Mix mix = Mix.DEFAULT;
        int size = 1024;
        int collections = 16;
        int documents = 100;
        int rounds = 3;
        Path out = null;
        Path root = Path.of(".");
        String stack = "casswarm";
        List<URI> edges = new ArrayList<>();
        List<String> paths = PATHS;
        Path passwordFile = null;
        Path cassandraPasswordFile = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new UsageRequested();
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value (see infra/cluster bench --help)");
            }
            String value = args[++i];
            switch (option) {
                case "--duration" -> seconds = number(option, value);
                case "--warmup" -> warmup = number(option, value);
                case "--concurrency" -> concurrency = number(option, value);
                case "--mix" -> mix = Mix.parse(value);
                case "--size" -> size = number(option, value);
                case "--collections" -> collections = number(option, value);
                case "--documents" -> documents = number(option, value);
                case "--rounds" -> rounds = number(option, value);
                case "--out" -> out = Path.of(value);
                case "--root" -> root = Path.of(value);
                case "--stack" -> stack = value;
                case "--paths" -> paths = Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                        .distinct().toList();
                case "--password-file" -> passwordFile = Path.of(value);
                case "--cassandra-password-file" -> cassandraPasswordFile = Path.of(value);
                case "--edge" -> Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(URI::create).forEach(edges::add);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see infra/cluster bench --help)");
            }
        }
        if (out == null) {
            out = root.resolve("infra/bench/target/runs").resolve(
                    DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now()));
        }
        if (passwordFile == null) {
            passwordFile = root.resolve("infra/.secrets/admin_password");
        }
        if (cassandraPasswordFile == null) {
            cassandraPasswordFile = root.resolve("infra/.secrets/cassandra_storage_password");
        }
        return new BenchOptions(seconds, warmup, concurrency, mix, size, collections, documents, rounds, out, root, stack, edges,
                paths, passwordFile, cassandraPasswordFile);
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** {@code --help} was given: print {@link #USAGE}. */
    public static final class UsageRequested extends RuntimeException {
        UsageRequested() {
            super("usage", null, false, false);
        }
    }
}
