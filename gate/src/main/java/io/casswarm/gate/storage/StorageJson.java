package io.casswarm.gate.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.casswarm.common.problem.Problem;
import io.casswarm.common.problem.ProblemException;
import io.casswarm.common.problem.ProblemType;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Map;

/**
 * The JSON between gate and storage: common's wire types, written with the service's strict
 * mapper and read back with it too, except that an answer may hold members this gate does not
 * know (a newer storage during a rolling update). A failure becomes the problem gate passes
 * on: storage's type, detail and extension members (such as {@code currentVersion}), without
 * its {@code instance}, which names an internal path (gate names its own).
 */
@Singleton
public class StorageJson {

    private final ObjectMapper mapper;
    private final ObjectReader answers;

    StorageJson(ObjectMapper mapper) {
        this.mapper = mapper;
        this.answers = mapper.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A successful answer as its wire type; any other answer as the problem it is. */
    public <T> T read(StorageResponse response, Class<T> type) {
        if (!response.isSuccess()) {
            throw failure(response);
        }
        try {
            return answers.readValue(response.body(), type);
        } catch (IOException e) {
            throw new StorageUnavailableException("storage answered an unreadable " + type.getSimpleName());
        }
    }

    /** The failure storage answered with, as gate's problem. */
    public ProblemException failure(StorageResponse response) {
        if (response.status() >= 500) {
            return new StorageUnavailableException("storage failed with status " + response.status());
        }
        try {
            Problem problem = answers.readValue(response.body(), Problem.class);
            if (problem != null && problem.type() != null) {
                return new ProblemException(new Problem(problem.type(), problem.title(), response.status(),
                        problem.detail(), null, problem.extensions()));
            }
        } catch (IOException ignored) {
            // not a problem body: the generic problem of that status below
        }
        ProblemType fallback = fallback(response.status());
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
