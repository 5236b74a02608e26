package io.casswarm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The host's end of the ring side: a one-off container of storage's image on the stack's
 * network, run through the manager ({@code docker run -i}), as the end-to-end tests run their
 * CQL probe. bench.jar reaches it on stdin ({@code head -c SIZE} takes exactly the jar, the rest
 * of stdin is the command stream); it runs {@link io.casswarm.bench.ring.RingMain} on storage's
 * jar, with storage's own Cassandra settings and JVM flags (read from the storage service) and a
 * keyspace of its own ({@value #KEYSPACE}, migrated by storage's own migrator, so its schema is
 * storage's). A plain container gets no Docker secret: storage's Cassandra password and the
 * Cassandra administrator's (to make the keyspace: {@code BenchKeyspace}) come first on stdin,
 * into a tmpfs at the paths storage's settings name, so they are never in an environment
 * variable, an image or a file on the node's disk. One JVM for the whole run: the rounds the
 * host asks for are interleaved with edge's, on a warm driver.
 */
final class RingWorker implements AutoCloseable {

    static final String LWT = "lwt-cql";
    static final String PLAIN = "plain-cql";
    static final String KEYSPACE = "casswarm_bench";
    /** Where storage's settings (CASSWARM_CASSANDRA_PASSWORD_FILE, from the service) look. */
    private static final String SECRETS = "/run/secrets";

    private final Swarm swarm;
    private final ObjectMapper json;
    private final String name;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private Process process;
    private PrintWriter commands;
    private PrintWriter log;
    private JsonNode ready;

    RingWorker(Swarm swarm, ObjectMapper json, String run) {
        this.swarm = swarm;
        this.json = json;
        this.name = swarm.stack() + "-bench-" + run;
    }

    /** Starts the container and waits until it has preloaded its documents. */
    void start(BenchOptions options, String run, Path jar, Path logFile) throws IOException, InterruptedException {
        String image = swarm.storageImage();
        List<String> environment = new ArrayList<>();
        String javaOpts = "-Xmx256m";
        for (JsonNode variable : json.readTree(swarm.docker("service", "inspect", "--format",
                "{{json .Spec.TaskTemplate.ContainerSpec.Env}}", swarm.stack() + "_storage"))) {
            String entry = variable.asText();
            if (entry.startsWith("CASSWARM_CASSANDRA_") && !entry.startsWith("CASSWARM_CASSANDRA_KEYSPACE=")) {
                environment.add(entry);
            } else if (entry.startsWith("JAVA_OPTS=")) {
                javaOpts = entry.substring("JAVA_OPTS=".length());
            }
        }
        environment.addAll(List.of("CASSWARM_CASSANDRA_KEYSPACE=" + KEYSPACE, "LOG_SHIPPING_ENABLED=false",
                "SERVICE_NAME=bench-ring", "JAVA_OPTS=" + javaOpts));
        byte[] storagePassword = password(options.cassandraPasswordFile());
        byte[] adminPassword = password(options.cassandraPasswordFile().resolveSibling("cassandra_admin_password"));
        long size = Files.size(jar);
        String script = "head -c " + storagePassword.length + " > " + SECRETS + "/cassandra_storage_password"
                + " && head -c " + adminPassword.length + " > " + SECRETS + "/cassandra_admin_password"
                + " && head -c " + size + " > /tmp/bench.jar && exec java $JAVA_OPTS -cp /app/app.jar:/tmp/bench.jar "
                + "io.casswarm.bench.ring.RingMain --run " + run + " --concurrency " + options.concurrency()
                + " --mix " + options.mix() + " --size " + options.sizeBytes() + " --collections " + options.collections()
                + " --documents " + options.documents();
        List<String> command = new ArrayList<>(List.of("docker", "run", "-i", "--rm", "--name", name,
                "--network", swarm.network(), "--tmpfs", SECRETS + ":mode=1777"));
        for (String entry : environment) {
            command.addAll(List.of("-e", entry));
        }
        command.addAll(List.of("--entrypoint", "sh", image, "-c", script));
        Files.createDirectories(logFile.getParent());
        log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
        log.println("# " + String.join(" ", command));
        process = new ProcessBuilder(command).start();
        pump(process.getInputStream(), false);
        pump(process.getErrorStream(), true);
        OutputStream stdin = process.getOutputStream();
        stdin.write(storagePassword);
        stdin.write(adminPassword);
        Files.copy(jar, stdin);
        stdin.flush();
        commands = new PrintWriter(new java.io.OutputStreamWriter(stdin, StandardCharsets.UTF_8), true);
        String reply = await("BENCH-READY", Duration.ofMinutes(6), "start and preload its documents");
        ready = json.readTree(reply);
    }

    private static byte[] password(Path file) throws IOException {
        if (!Files.isReadable(file) || Files.size(file) == 0) {
            throw new IllegalStateException("no Cassandra password for the ring paths in " + file
                    + ": run bench from the checkout that ran infra/cluster up, or pass --cassandra-password-file");
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    }

    boolean started() {
        return process != null;
    }

    /** What the worker said when ready: storage's settings, start and preload seconds. */
    JsonNode ready() {
        return ready;
    }

    /** The container's id (12 characters), for its CPU. */
    String containerId() {
        return swarm.docker("inspect", "--format", "{{.Id}}", name).strip().substring(0, 12);
    }

    RoundResult round(String path, int round, int seconds) throws IOException, InterruptedException {
        commands.println("round " + path + " " + round + " " + seconds);
        return json.readValue(await("BENCH-ROUND", Duration.ofSeconds(seconds + 120L), "finish round " + round + " of "
                + path), RoundResult.class);
    }

    private String await(String prefix, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = replies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the ring worker did not " + what + " within " + timeout.toSeconds()
                        + " s (see ring-worker.log)");
            }
            if (line.startsWith("BENCH-ERROR ") || line.equals("EOF")) {
                throw new IllegalStateException("the ring worker failed: " + line + " (see ring-worker.log)");
            }
            if (line.startsWith(prefix + " ")) {
                return line.substring(prefix.length() + 1);
            }
        }
    }

    /** Every line goes to the log; protocol lines (on stderr) also to the reply queue. */
    private void pump(InputStream stream, boolean protocol) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (protocol && line.startsWith("BENCH-")) {
                        replies.add(line);
                        log.println(line.length() > 300 ? line.substring(0, 300) + "…" : line);
                    } else {
                        log.println(line);
                    }
                }
            } catch (IOException e) {
                log.println("# reading the worker: " + e);
            } finally {
                if (protocol) {
                    replies.add("EOF");
                }
            }
        }, protocol ? "ring-worker-protocol" : "ring-worker-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        if (commands != null) {
            commands.println("quit");
            commands.close();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
            Swarm.run(List.of("docker", "rm", "-f", name), Duration.ofSeconds(30));
        }
        if (log != null) {
            log.close();
        }
    }
}
