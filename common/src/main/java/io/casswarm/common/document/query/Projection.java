package io.casswarm.common.document.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.contract.Contract;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Field projection, {@code fields=a,b.c}: a body keeps only those paths, nested objects kept
 * as far as a path reaches into them ({@code b.c} keeps {@code {"b": {"c": ...}}}). Paths
 * that are absent are simply not in the result. Applied by storage, so unwanted fields never
 * travel to gate.
 */
public final class Projection {

    private final List<String[]> paths;
    private final List<String> names;

    private Projection(List<String> names) {
        this.names = List.copyOf(names);
        this.paths = names.stream().map(path -> path.split("\\.")).toList();
    }

    /** {@code a,b.c} as a projection; null or blank is none (null). */
    public static @Nullable Projection parse(@Nullable String fields) {
        if (fields == null || fields.isBlank()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String part : fields.split(",", -1)) {
            names.add(part.strip());
        }
        return of(names);
    }

    /** The projection of these paths, checked. */
    public static Projection of(List<String> names) {
        if (names.isEmpty() || names.size() > Contract.MAX_PROJECTION_PATHS) {
            throw Contract.invalid("fields lists 1 to " + Contract.MAX_PROJECTION_PATHS + " paths");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            if (!DocumentQuery.isPath(name)) {
                throw Contract.invalid("fields: '" + (name == null ? "" : name)
                        + "' is not a path (member names of letters, digits, '_' or '-' joined by '.')");
            }
            unique.add(name);
        }
        return new Projection(new ArrayList<>(unique));
    }

    /** The paths, as given (duplicates removed). */
    public List<String> paths() {
        return names;
    }

    /** A new body holding only the projected paths; {@code body} is not changed. */
    public ObjectNode apply(ObjectNode body) {
        ObjectNode result = body.objectNode();
        for (String[] path : paths) {
            copy(body, result, path, 0);
        }
        return result;
    }

    private static void copy(ObjectNode from, ObjectNode to, String[] path, int depth) {
        JsonNode value = from.get(path[depth]);
        if (value == null) {
            return;
        }
        if (depth == path.length - 1) {
            to.set(path[depth], value.deepCopy());
            return;
        }
        if (!(value instanceof ObjectNode child)) {
            return;
        }
        JsonNode existing = to.get(path[depth]);
        ObjectNode target;
        if (existing instanceof ObjectNode object) {
            target = object;
        } else if (existing == null) {
            target = to.putObject(path[depth]);
        } else {
            return; // a shorter path already copied the whole value
        }
        copy(child, target, path, depth + 1);
    }

    @Override
    public String toString() {
        return String.join(",", names);
    }
}
