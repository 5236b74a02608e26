package io.casswarm.gate.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads storage's answers: successful bodies into wire types, failures into the problem gate
 * passes on. Storage's problem keeps its type, detail and extension members (such as
 * {@code currentVersion}); its {@code instance} names an internal path and is dropped.
 */
@Singleton
public class StorageJson {

    private static final Set<String> PROBLEM_MEMBERS = Set.of("type", "title", "status", "detail", "instance");

    private final ObjectMapper mapper;

    StorageJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(StorageResponse response, Class<T> type) {
        try {
            return mapper.readValue(response.body(), type);
        } catch (IOException e) {
            throw new StorageUnavailableException("storage answered an unreadable " + type.getSimpleName());
        }
    }

    /** The failure storage answered with, as gate's problem. */
    public ProblemException failure(StorageResponse response) {
        if (response.status() >= 500) {
            return new StorageUnavailableException("storage failed with status " + response.status());
        }
        ProblemType fallback = fallback(response.status());
        try {
            JsonNode node = mapper.readTree(response.body());
            if (node instanceof ObjectNode object) {
                Map<String, Object> extensions = new LinkedHashMap<>();
                object.fields().forEachRemaining(field -> {
                    if (!PROBLEM_MEMBERS.contains(field.getKey())) {
                        extensions.put(field.getKey(), mapper.convertValue(field.getValue(), Object.class));
                    }
                });
                return new ProblemException(new Problem(
                        object.path("type").asText(fallback.uri()),
                        object.path("title").asText(fallback.title()),
                        response.status(),
                        object.hasNonNull("detail") ? object.get("detail").asText() : null,
                        null,
                        extensions));
            }
        } catch (IOException ignored) {
            // not a problem body: fall through to the generic problem of that status
        }
        return new ProblemException(new Problem(fallback.uri(), fallback.title(), response.status(), null, null, Map.of()));
    }

    private static ProblemType fallback(int status) {
        for (ProblemType type : ProblemType.values()) {
            if (type.status() == status) {
                return type;
            }
        }
        return ProblemType.BAD_REQUEST;
    }
}
