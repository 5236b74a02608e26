package io.casswarm.gate;

import io.micronaut.runtime.Micronaut;

/** Entry point of gate: the public REST API. */
public final class GateApplication {

    private GateApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(GateApplication.class, args);
    }
}
