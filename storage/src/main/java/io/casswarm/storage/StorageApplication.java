package io.casswarm.storage;

import io.micronaut.runtime.Micronaut;

/** Entry point of the storage service: the only process that speaks CQL. */
public final class StorageApplication {

    private StorageApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(StorageApplication.class, args);
    }
}
