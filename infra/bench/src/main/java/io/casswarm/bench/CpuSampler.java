package io.casswarm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU of every task's container, from {@code docker stats} streamed on the task's node for the
 * whole run (one stream per node; docker prints a sample per container about every second).
 * For a round, each container's samples inside the round are averaged and summed per service,
 * in cores (docker's CPU % / 100: 1.0 = one core busy).
 */
final class CpuSampler implements AutoCloseable {

    private static final Pattern SAMPLE = Pattern.compile("([0-9a-f]{12})[0-9a-f]*\\s+([0-9.]+)%");
    private static final Pattern ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private record Sample(long at, double percent) {
    }

    private final Map<String, String> serviceOf = new HashMap<>();
    private final Map<String, List<Sample>> samples = new HashMap<>();
    private final List<Process> streams = new ArrayList<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param extra containers outside the stack to sample through the manager (the ring
     *              worker): container id (12 characters) → the name it is reported under
     */
    CpuSampler(Swarm swarm, List<Swarm.Task> tasks, Map<String, String> extra) {
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (Swarm.Task task : tasks) {
            serviceOf.put(task.container(), task.service());
            byNode.computeIfAbsent(task.node(), n -> new ArrayList<>()).add(task.container());
        }
        byNode.forEach((node, containers) -> start(node, swarm.dockerOn(node), containers));
        if (!extra.isEmpty()) {
            serviceOf.putAll(extra);
            start("manager", List.of("docker"), new ArrayList<>(extra.keySet()));
        }
    }

    private void start(String node, List<String> docker, List<String> containers) {
        List<String> command = new ArrayList<>(docker);
        command.addAll(List.of("stats", "--format", "{{.ID}} {{.CPUPerc}}"));
        command.addAll(containers);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            streams.add(process);
            Thread reader = new Thread(() -> read(node, process), "docker-stats-" + node);
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            problems.add("no docker stats on " + node + ": " + e.getMessage());
        }
    }

    private void read(String node, Process process) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String text = ESCAPE.matcher(line).replaceAll("").strip();
                Matcher m = SAMPLE.matcher(text);
                if (m.find()) {
                    String id = m.group(1);
                    synchronized (samples) {
                        samples.computeIfAbsent(id, k -> new ArrayList<>())
                                .add(new Sample(System.currentTimeMillis(), Double.parseDouble(m.group(2))));
                    }
                } else if (!text.isEmpty() && !text.contains("CPU") && !text.contains("--")) {
                    problems.add(node + ": " + text);
                }
            }
        } catch (IOException e) {
            problems.add(node + ": " + e.getMessage());
        }
    }

    /** Cores per service between the two instants (epoch ms); services without samples are left out. */
    Map<String, Double> cores(long from, long to) {
        Map<String, Double> cores = new TreeMap<>();
        synchronized (samples) {
            samples.forEach((container, list) -> {
                double sum = 0;
                int n = 0;
                for (Sample sample : list) {
                    if (sample.at() >= from && sample.at() <= to) {
                        sum += sample.percent();
                        n++;
                    }
                }
                String service = serviceOf.get(container);
                if (n > 0 && service != null) {
                    cores.merge(service, sum / n / 100.0, Double::sum);
                }
            });
        }
        return cores;
    }

    /** What went wrong reading stats (a node's engine not reachable, ...), for the results file. */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems.subList(0, Math.min(20, problems.size())));
        }
    }

    @Override
    public void close() {
        streams.forEach(Process::destroy);
    }
}
