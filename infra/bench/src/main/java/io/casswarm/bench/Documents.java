package io.casswarm.bench;

/**
 * The workload's documents, the same on every path: a body of the asked size with fields
 * storage indexes (a string, a number) and padding, and a merge patch that changes both.
 * Every document expires after {@link #TTL_SECONDS}, so benchmark data does not pile up.
 */
public final class Documents {

    public static final int TTL_SECONDS = 86_400;

    private Documents() {
    }

    /** A body of exactly {@code size} bytes of compact JSON (for counts of up to 18 digits). */
    public static String body(int size, long count) {
        String start = "{\"status\":\"open\",\"owner\":\"bench\",\"count\":" + count + ",\"text\":\"";
        int padding = size - start.length() - 2;
        if (padding < 0) {
            throw new IllegalArgumentException("a body needs at least " + (start.length() + 2) + " bytes");
        }
        return start + "x".repeat(padding) + "\"}";
    }

    /** A merge patch of the indexed fields. */
    public static String patch(long n) {
        return "{\"status\":\"" + (n % 2 == 0 ? "open" : "done") + "\",\"count\":" + n + "}";
    }

    /** The id of the {@code i}-th preloaded document of a run. */
    public static String preloaded(String run, int i) {
        return run + "-" + i;
    }

    /** The id of the {@code n}-th document a round creates. */
    public static String created(String run, int round, String path, long n) {
        return run + "-" + path + "-r" + round + "-" + n;
    }
}
