package io.casswarm.bench.ring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casswarm.bench.BenchOptions;
import io.casswarm.bench.Documents;
import io.casswarm.bench.LoadLoop;
import io.casswarm.bench.Mix;
import io.casswarm.bench.RoundResult;
import io.casswarm.storage.document.StorageDocuments;
import io.micronaut.context.ApplicationContext;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The ring side of the benchmark, in a one-off container of storage's image on the stack's
 * network: {@code java -cp /app/app.jar:bench.jar io.casswarm.bench.ring.RingMain --run ID
 * --concurrency N --mix M --size B --collections C --documents D}. It starts storage's
 * application context without its HTTP server (schema of its own keyspace migrated by storage's
 * own migrator), creates the documents both paths read and patch, prints
 * {@code BENCH-READY {...}}, then runs the rounds the host asks for on stdin
 * ({@code round lwt-cql|plain-cql ROUND SECONDS}, {@code quit}) and prints each as
 * {@code BENCH-ROUND {RoundResult}}. The protocol goes to stderr, each line whole; storage's
 * logs go to stdout as in the service, and the host keeps them in ring-worker.log.
 */
public final class RingMain {

    static final String TENANT = "bench";

    private RingMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        Map<String, String> options = options(args);
        String run = options.get("--run");
        int concurrency = Integer.parseInt(options.get("--concurrency"));
        Mix mix = Mix.parse(options.get("--mix"));
        int size = Integer.parseInt(options.get("--size"));
        int collections = Integer.parseInt(options.get("--collections"));
        int documents = Integer.parseInt(options.get("--documents"));
        long began = System.nanoTime();
        BenchKeyspace.prepare(System.getenv(), System.getenv().getOrDefault("CASSWARM_CASSANDRA_KEYSPACE", "casswarm_bench"));
        try (ApplicationContext context = ApplicationContext.run()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!StorageDocuments.layoutMigrationDone(context)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("storage's layout migration is not done after 3 minutes");
                }
                Thread.sleep(200);
            }
            StorageDocuments storage = new StorageDocuments(context);
            double started = (System.nanoTime() - began) / 1e9;
            ObjectNode patchBody = storage.parse(Documents.patch(1));
            long preloadStart = System.nanoTime();
            preload(storage, run, size, collections, documents);
            double preloaded = (System.nanoTime() - preloadStart) / 1e9;
            protocol.println("BENCH-READY " + json.writeValueAsString(Map.of(
                    "storage", storage.describe(), "startSeconds", started, "preloadSeconds", preloaded,
                    "preloadedDocuments", 2L * collections * documents)));
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                String[] command = line.strip().split("\\s+");
                if (command[0].equals("quit")) {
                    break;
                }
                if (!command[0].equals("round") || command.length != 4) {
                    protocol.println("BENCH-ERROR unknown command: " + line);
                    continue;
                }
                String path = command[1];
                int round = Integer.parseInt(command[2]);
                int seconds = Integer.parseInt(command[3]);
                boolean lwt = path.equals("lwt-cql");
                String prefix = lwt ? "lwt-" : "plain-";
                String tag = lwt ? "l" : "p";
                LoadLoop.Request request = (operation, n) -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    String collection = prefix + random.nextInt(collections);
                    switch (operation) {
                        case READ -> {
                            String id = Documents.preloaded(run, random.nextInt(documents));
                            return lwt ? storage.lwtRead(TENANT, collection, id) : storage.plainRead(TENANT, collection, id);
                        }
                        case PATCH -> {
                            String id = Documents.preloaded(run, random.nextInt(documents));
                            ObjectNode patch = n % 2 == 0 ? patchBody : storage.parse(Documents.patch(n));
                            return lwt ? storage.lwtPatch(TENANT, collection, id, patch)
                                    : storage.plainPatch(TENANT, collection, id, patch);
                        }
                        default -> {
                            String id = Documents.created(run, round, tag, n);
                            ObjectNode body = storage.parse(Documents.body(size, n));
                            return lwt ? storage.lwtCreate(TENANT, collection, id, body, Documents.TTL_SECONDS)
                                    : storage.plainCreate(TENANT, collection, id, body, Documents.TTL_SECONDS);
                        }
                    }
                };
                RoundResult result = LoadLoop.run(path, round, concurrency, seconds, mix, request);
                protocol.println("BENCH-ROUND " + json.writeValueAsString(result));
            }
        } catch (Exception | Error e) {
            protocol.println("BENCH-ERROR " + e);
            throw e;
        }
    }

    /**
     * The documents both paths read and patch, created the way each path creates documents, 8
     * at a time (the ring may still be building the new keyspace's indexes). A create that
     * fails is sent again, up to 5 times: a plain write is idempotent, and a conditional one
     * that landed before answers "exists", which is as good.
     */
    private static void preload(StorageDocuments storage, String run, int size, int collections, int documents)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(8);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < collections; c++) {
            for (int i = 0; i < documents; i++) {
                for (boolean lwt : new boolean[] {true, false}) {
                    inFlight.acquire();
                    String collection = (lwt ? "lwt-" : "plain-") + c;
                    ObjectNode body = storage.parse(Documents.body(size, i));
                    String id = Documents.preloaded(run, i);
                    create(storage, lwt, collection, id, body, 1).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            failures.add(failure);
                        }
                        inFlight.release();
                    });
                }
            }
        }
        inFlight.acquire(8);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " preloaded documents were not created after 5 attempts,"
                    + " first: " + failures.get(0), failures.get(0));
        }
    }

    private static CompletionStage<?> create(StorageDocuments storage, boolean lwt, String collection, String id,
                                             ObjectNode body, int attempt) {
        CompletionStage<?> created;
        try {
            created = lwt ? storage.lwtCreate(TENANT, collection, id, body, Documents.TTL_SECONDS)
                    : storage.plainCreate(TENANT, collection, id, body, Documents.TTL_SECONDS);
        } catch (RuntimeException e) {
            created = CompletableFuture.failedFuture(e);
        }
        return created.handle((ok, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause == null || cause.getClass().getSimpleName().equals("DocumentExistsException")) {
                return CompletableFuture.completedFuture(ok);
            }
            if (attempt >= 5) {
                return CompletableFuture.failedFuture(cause);
            }
            return create(storage, lwt, collection, id, body, attempt + 1);
        }).thenCompose(stage -> stage);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--run", "--concurrency", "--mix", "--size", "--collections", "--documents")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("missing " + required + " (" + BenchOptions.class.getSimpleName()
                        + " passes it)");
            }
        }
        return options;
    }
}
