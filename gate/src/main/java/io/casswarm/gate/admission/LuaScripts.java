package io.casswarm.gate.admission;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Lua scripts gate runs in Redis, from the resources under /casswarm/. */
final class LuaScripts {

    private LuaScripts() {
    }

    /**
     * The text of one script. Sent whole with every {@code EVAL} (Redis keeps it compiled by
     * its hash), so a replica promoted by a failover, which has no script cache, runs it too.
     */
    static String load(String name) {
        try (InputStream in = LuaScripts.class.getResourceAsStream("/casswarm/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /casswarm/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
