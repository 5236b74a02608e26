package io.casswarm.gate.storage;

import io.micronaut.http.HttpHeaders;

/**
 * What one storage instance answered.
 *
 * @param status   HTTP status
 * @param headers  response headers
 * @param body     raw body, possibly empty
 * @param attempts how many instances were tried to get this answer (more than 1: a retry)
 */
public record StorageResponse(int status, HttpHeaders headers, byte[] body, int attempts) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
