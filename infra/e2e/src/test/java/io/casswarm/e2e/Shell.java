package io.casswarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of the host (docker, infra/cluster, infra/sim) and captures what it printed. */
final class Shell {

    record Result(int exitCode, String output, Duration took) {
        boolean ok() {
            return exitCode == 0;
        }

        Result orFail(String what) {
            if (!ok()) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private final Path workingDirectory;

    Shell(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    Result run(Duration timeout, String... command) {
        return run(timeout, false, command);
    }

    /** Runs the command; with {@code echo}, its output is also copied to the test log as it comes. */
    Result run(Duration timeout, boolean echo, String... command) {
        return run(timeout, echo, java.util.Map.of(), command);
    }

    /** As {@link #run(Duration, boolean, String...)}, with variables added to the environment. */
    Result run(Duration timeout, boolean echo, java.util.Map<String, String> environment, String... command) {
        long start = System.nanoTime();
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(command))
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (var in = process.inputReader(StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (echo) {
                            System.out.println("  | " + line);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
            }
            reader.join(5_000);
            synchronized (lines) {
                return new Result(process.exitValue(), String.join("\n", lines),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
