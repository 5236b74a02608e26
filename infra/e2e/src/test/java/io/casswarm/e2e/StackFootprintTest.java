package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records what the running stack costs: memory of every container (docker stats, on each node)
 * and the size of every image, and on the simulated swarm the memory of each machine, for the
 * docs. Fails if the stack outgrows a 24 GiB machine's budget, or if gate or storage starts
 * without the class archive its image carries (a third more CPU at every start).
 */
@Order(1000)
class StackFootprintTest {

    private static final double MEMORY_BUDGET_MIB = 8 * 1024;

    private final Cluster cluster = new Cluster();

    @Test
    void stackFitsInItsMemoryBudget() {
        double totalMib = 0;
        for (String node : cluster.nodes()) {
            String stats = cluster.onNode(node, "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}")
                    .orFail("docker stats on " + node).output();
            for (String line : stats.lines().filter(l -> l.startsWith(Cluster.STACK + "_")).toList()) {
                String[] parts = line.split("\\s+");
                double mib = toMib(parts[1]);
                totalMib += mib;
                cluster.report(String.format("memory %-12s %-45s %8.0f MiB", node, parts[0].replaceAll("\\.[a-z0-9]{25}$", ""), mib));
            }
        }
        cluster.report(String.format("memory total of the stack's containers: %.0f MiB", totalMib));
        for (String image : cluster.docker("service", "ls", "--format", "{{.Image}}").orFail("docker service ls")
                .output().lines().distinct().sorted().toList()) {
            Shell.Result size = cluster.docker("image", "inspect", "--format", "{{.Size}}", image);
            if (size.ok()) {
                cluster.report(String.format("image %-60s %5d MB", image, Long.parseLong(size.output().strip()) / 1_000_000));
            }
        }
        if (Cluster.simulated()) {
            for (String line : cluster.sim(java.time.Duration.ofMinutes(1), "status").orFail("infra/sim status").output().lines()
                    .filter(l -> l.contains(" MiB (engine ")).toList()) {
                cluster.report("simulated machine " + line.strip());
            }
        }
        assertTrue(totalMib > 0, "docker stats listed the stack's containers");
        assertTrue(totalMib < MEMORY_BUDGET_MIB, "stack uses " + totalMib + " MiB");
    }

    @Test
    void everyGateAndStorageTaskMapsTheClassArchiveOfItsImage() {
        for (String service : List.of("gate", "storage")) {
            List<Cluster.Task> tasks = cluster.containers(service);
            assertFalse(tasks.isEmpty(), service + " has running tasks");
            for (Cluster.Task task : tasks) {
                // The JVM maps the archive only when it matches the jar and the JVM (else it starts without).
                Shell.Result maps = cluster.exec(task, "sh", "-c", "grep -l /app/app.jsa /proc/[0-9]*/maps");
                assertTrue(maps.ok() && !maps.output().isBlank(),
                        service + " on " + task.node() + " runs without /app/app.jsa mapped: " + maps.output());
            }
        }
    }

    private static double toMib(String usage) {
        String number = usage.replaceAll("[^0-9.]", "");
        double value = Double.parseDouble(number);
        if (usage.endsWith("GiB")) {
            return value * 1024;
        }
        if (usage.endsWith("KiB")) {
            return value / 1024;
        }
        if (usage.endsWith("MiB")) {
            return value;
        }
        return value / (1024 * 1024);
    }
}
