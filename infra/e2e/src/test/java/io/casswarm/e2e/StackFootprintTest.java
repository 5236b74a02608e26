package io.casswarm.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records what the running stack costs: memory of every container (docker stats) and the
 * size of every image, for the docs. Fails if the stack outgrows a 24 GiB machine's budget.
 */
@Order(100)
class StackFootprintTest {

    private static final double MEMORY_BUDGET_MIB = 8 * 1024;

    private final Cluster cluster = new Cluster();

    @Test
    void stackFitsInItsMemoryBudget() {
        String stats = cluster.docker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}")
                .orFail("docker stats").output();
        double totalMib = 0;
        for (String line : stats.lines().filter(l -> l.startsWith(Cluster.STACK + "_")).toList()) {
            String[] parts = line.split("\\s+");
            double mib = toMib(parts[1]);
            totalMib += mib;
            cluster.report(String.format("memory %-45s %8.0f MiB", parts[0], mib));
        }
        cluster.report(String.format("memory total of the stack: %.0f MiB", totalMib));
        for (String image : cluster.docker("service", "ls", "--format", "{{.Image}}").orFail("docker service ls")
                .output().lines().distinct().sorted().toList()) {
            Shell.Result size = cluster.docker("image", "inspect", "--format", "{{.Size}}", image);
            if (size.ok()) {
                cluster.report(String.format("image %-45s %5d MB", image, Long.parseLong(size.output().strip()) / 1_000_000));
            }
        }
        assertTrue(totalMib > 0, "docker stats listed the stack's containers");
        assertTrue(totalMib < MEMORY_BUDGET_MIB, "stack uses " + totalMib + " MiB");
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
