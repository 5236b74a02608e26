package io.casswarm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The running cluster through the docker CLI: the swarm through its manager (the local engine,
 * or the one DOCKER_HOST names), and each node's own engine for what only a node knows (its
 * containers' stats, an exec into a container). A node's engine is the local one on a single
 * machine; on the simulated swarm ({@code infra/sim env} sets CASSWARM_SIM) the machine's
 * container on this host ({@code docker exec NODE docker ...}); elsewhere
 * CASSWARM_NODE_DOCKER_HOST with {@code {node}} standing for the hostname (default
 * {@code ssh://root@{node}}).
 */
final class Swarm {

    /** One running task of the stack: its service (without the stack prefix), node and container. */
    record Task(String service, String node, String container) {
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final String stack;
    private final boolean simulated;
    private final String nodeHostTemplate;
    private final boolean singleNode;

    Swarm(String stack) {
        this.stack = stack;
        String sim = System.getenv("CASSWARM_SIM");
        this.simulated = sim != null && !sim.isBlank();
        this.nodeHostTemplate = System.getenv().getOrDefault("CASSWARM_NODE_DOCKER_HOST", "ssh://root@{node}");
        this.singleNode = docker("node", "ls", "-q").lines().filter(l -> !l.isBlank()).count() == 1;
    }

    String stack() {
        return stack;
    }

    /** docker against the manager; fails with what docker said. */
    String docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Result result = run(command, Duration.ofMinutes(2));
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exitCode() + "): "
                    + result.output().strip());
        }
        return result.output();
    }

    /** The docker command of one node's own engine. */
    List<String> dockerOn(String node) {
        if (singleNode) {
            return List.of("docker");
        }
        if (simulated) {
            return List.of("docker", "--host", "unix:///var/run/docker.sock", "exec", node, "docker");
        }
        return List.of("docker", "--host", nodeHostTemplate.replace("{node}", node));
    }

    Result onNode(String node, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(dockerOn(node));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    /** The stack's running tasks that have a container, found through the manager. */
    List<Task> tasks() {
        String ps = docker("stack", "ps", stack, "--filter", "desired-state=running",
                "--format", "{{.ID}}|{{.Name}}|{{.Node}}|{{.CurrentState}}");
        Map<String, String[]> byTask = new HashMap<>();
        for (String line : ps.lines().toList()) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length == 4 && f[3].startsWith("Running")) {
                byTask.put(f[0], f);
            }
        }
        List<Task> tasks = new ArrayList<>();
        if (byTask.isEmpty()) {
            return tasks;
        }
        List<String> inspect = new ArrayList<>(List.of("inspect", "--type", "task", "--format",
                "{{.ID}}|{{.Status.ContainerStatus.ContainerID}}"));
        byTask.keySet().forEach(inspect::add);
        for (String line : docker(inspect.toArray(String[]::new)).lines().toList()) {
            String[] f = line.strip().split("\\|", -1);
            // stack ps prints task ids shortened, inspect prints them whole
            String[] task = f.length != 2 ? null : byTask.entrySet().stream().filter(e -> f[0].startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (task != null && !f[1].isBlank()) {
                // "casswarm_gate.1" → gate; "casswarm_edge.<node id>" (global) → edge
                String name = task[1].substring(stack.length() + 1).replaceAll("\\..*$", "");
                tasks.add(new Task(name, task[2], f[1].substring(0, Math.min(12, f[1].length()))));
            }
        }
        return tasks;
    }

    /** The image storage's tasks run (by digest on several nodes): the ring worker runs it too. */
    String storageImage() {
        return docker("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", stack + "_storage")
                .strip();
    }

    /**
     * The ring's network (stack.yml's data tier), which the ring worker joins with
     * {@code docker run}: the stack must be deployed with {@code CASSWARM_ATTACHABLE_NETWORKS=true}.
     */
    String network() {
        return stack + "_data";
    }

    static Result run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[][] output = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    output[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    output[0] = new byte[0];
                }
            });
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                reader.join(5_000);
                return new Result(-1, "timed out after " + timeout.toSeconds() + " s");
            }
            reader.join(5_000);
            return new Result(process.exitValue(), output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": is the docker CLI installed?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
