package io.casswarm.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long each service's threads stood runnable without a CPU: the kernel's schedstat
 * ({@code /proc/<pid>/task/<tid>/schedstat}, its second field: nanoseconds spent waiting on a run
 * queue), read inside every task's container with {@code docker exec} before and after a round.
 * CPU used says how busy a service is; this says how long its work waited for a core once it
 * was ready. When the machine's cores are all taken, every hand-off between threads and services
 * waits here, which a CPU profile (JFR) cannot show.
 *
 * <p>A round's figure per service is the summed wait of its threads over the round's seconds:
 * 2.0 means that, on average, two of its threads stood ready and waited.
 */
final class RunQueue {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    // One line per thread: "/proc/<pid>/task/<tid>/schedstat:<run ns> <wait ns> <slices>".
    private static final String[] READ = {"sh", "-c", "grep -H . /proc/[0-9]*/task/[0-9]*/schedstat 2>/dev/null"};

    /** Each container's threads at one instant: container → thread path → nanoseconds waited. */
    record Snapshot(long nanoTime, Map<String, Map<String, Long>> waitedByContainer) {
    }

    private final Swarm swarm;
    private final List<Swarm.Task> tasks;
    private final Map<String, String> extra;
    private final Map<String, String> serviceOf = new HashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param extra containers outside the stack to read through the manager (the ring worker):
     *              container id → the name it is reported under
     */
    RunQueue(Swarm swarm, List<Swarm.Task> tasks, Map<String, String> extra) {
        this.swarm = swarm;
        this.tasks = tasks;
        this.extra = extra;
        serviceOf.putAll(extra);
        tasks.forEach(task -> serviceOf.put(task.container(), task.service()));
    }

    Snapshot read() {
        Map<String, Map<String, Long>> byContainer = new HashMap<>();
        for (Swarm.Task task : tasks) {
            byContainer.put(task.container(), parse(swarm.onNode(task.node(), TIMEOUT, exec(task.container())), task.container()));
        }
        extra.keySet().forEach(container -> byContainer.put(container,
                parse(Swarm.run(concat(List.of("docker"), exec(container)), TIMEOUT), container)));
        return new Snapshot(System.nanoTime(), byContainer);
    }

    /** Service → its threads' run-queue wait between the snapshots, in threads waiting on average. */
    Map<String, Double> waiting(Snapshot before, Snapshot after) {
        return waiting(serviceOf, before, after);
    }

    /** As {@link #waiting(Snapshot, Snapshot)}, given each container's service. */
    static Map<String, Double> waiting(Map<String, String> serviceOf, Snapshot before, Snapshot after) {
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        Map<String, Double> waiting = new TreeMap<>();
        after.waitedByContainer().forEach((container, threads) -> {
            Map<String, Long> earlier = before.waitedByContainer().getOrDefault(container, Map.of());
            long waited = 0;
            for (Map.Entry<String, Long> thread : threads.entrySet()) {
                // A thread started during the round waited all of its time in it.
                long delta = thread.getValue() - earlier.getOrDefault(thread.getKey(), 0L);
                // No thread can wait longer than the time between the readings. The kernel has been
                // seen to add one: a driver thread idle on a timer jumped by 300 s within 45 s.
                if (delta <= after.nanoTime() - before.nanoTime()) {
                    waited += delta;
                }
            }
            String service = serviceOf.get(container);
            if (service != null && seconds > 0) {
                waiting.merge(service, waited / 1e9 / seconds, Double::sum);
            }
        });
        return waiting;
    }

    /** Thread path → nanoseconds waited, from grep's lines; unreadable lines are skipped. */
    static Map<String, Long> parseLines(String output) {
        Map<String, Long> waited = new HashMap<>();
        for (String line : output.lines().toList()) {
            int colon = line.indexOf(':');
            if (!line.startsWith("/proc/") || colon < 0) {
                continue;
            }
            String[] fields = line.substring(colon + 1).strip().split("\\s+");
            if (fields.length >= 2 && fields[1].chars().allMatch(Character::isDigit)) {
                waited.put(line.substring(0, colon), Long.parseLong(fields[1]));
            }
        }
        return waited;
    }

    private Map<String, Long> parse(Swarm.Result result, String container) {
        Map<String, Long> waited = parseLines(result.output());
        if (waited.isEmpty()) {
            problems.add("no schedstat from container " + container + " (" + result.exitCode() + "): "
                    + result.output().strip().lines().findFirst().orElse(""));
        }
        return waited;
    }

    private static String[] exec(String container) {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(READ));
        return args.toArray(String[]::new);
    }

    private static List<String> concat(List<String> first, String[] rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    /** Containers that gave no reading, for the results file. */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems.subList(0, Math.min(20, problems.size())));
        }
    }
}
