package io.casswarm.common.logging.es;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: reads what a (closed) spool holds, without consuming it. */
public final class SpoolReader {

    public record Entry(String id, String json) {
    }

    private SpoolReader() {
    }

    public static List<Entry> readAll(Path dir) throws IOException {
        try (Spool spool = new Spool(dir, 1L << 30, 1L << 26, 1000)) {
            List<Entry> out = new ArrayList<>();
            for (Spool.Pending p : spool.peek(Integer.MAX_VALUE, Long.MAX_VALUE)) {
                out.add(new Entry(p.record().id(), new String(p.record().json(), StandardCharsets.UTF_8)));
            }
            return out;
        }
    }
}
