package io.casswarm.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shares of the operations in percent, e.g. {@code read=80,patch=15,create=5}; they add up to
 * 100. An operation left out has share 0.
 */
public record Mix(int read, int patch, int create) {

    public static final Mix DEFAULT = new Mix(80, 15, 5);

    public Mix {
        if (read < 0 || patch < 0 || create < 0) {
            throw new IllegalArgumentException("--mix: shares must not be negative");
        }
        if (read + patch + create != 100) {
            throw new IllegalArgumentException("--mix: shares must add up to 100, they add up to " + (read + patch + create)
                    + " (e.g. read=80,patch=15,create=5)");
        }
    }

    /** Parses {@code op=percent,...}; a clear error names what is wrong. */
    public static Mix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--mix needs op=percent pairs, e.g. read=80,patch=15,create=5");
        }
        Map<Operation, Integer> shares = new EnumMap<>(Operation.class);
        for (String part : text.split(",")) {
            String[] pair = part.strip().split("=", -1);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new IllegalArgumentException("--mix: '" + part.strip() + "' is not op=percent (e.g. read=80)");
            }
            Operation operation = Arrays.stream(Operation.values())
                    .filter(o -> o.key().equals(pair[0].strip().toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--mix: unknown operation '" + pair[0].strip()
                            + "' (known: " + Arrays.stream(Operation.values()).map(Operation::key)
                            .collect(Collectors.joining(", ")) + ")"));
            int share;
            try {
                share = Integer.parseInt(pair[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: the share of " + operation.key() + " must be a whole number, got '"
                        + pair[1].strip() + "'");
            }
            if (shares.put(operation, share) != null) {
                throw new IllegalArgumentException("--mix: " + operation.key() + " is given twice");
            }
        }
        return new Mix(shares.getOrDefault(Operation.READ, 0), shares.getOrDefault(Operation.PATCH, 0),
                shares.getOrDefault(Operation.CREATE, 0));
    }

    /** The operation for a uniform draw in [0, 100). */
    public Operation pick(int percent) {
        if (percent < 0 || percent >= 100) {
            throw new IllegalArgumentException("draw out of [0, 100): " + percent);
        }
        if (percent < read) {
            return Operation.READ;
        }
        return percent < read + patch ? Operation.PATCH : Operation.CREATE;
    }

    /** The form {@link #parse} reads. */
    @Override
    public String toString() {
        return "read=" + read + ",patch=" + patch + ",create=" + create;
    }
}
