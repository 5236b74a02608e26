package io.casswarm.es.agent;

import java.lang.instrument.Instrumentation;

/**
 * Stand-in for Elasticsearch's entitlement agent, which is not published on Maven Central.
 *
 * <p>The server (EntitlementBootstrap) self-attaches to its own JVM and loads the single jar
 * found in {@code lib/entitlement-agent/}, passing the name of its initialisation class as the
 * agent argument, after exporting that class's package to the system class loader's unnamed
 * module. All this agent does is hand the {@link Instrumentation} over to that class.
 */
public final class EntitlementAgent {

    private EntitlementAgent() {}

    public static void agentmain(String initializationClass, Instrumentation inst) throws Exception {
        if (initializationClass == null || initializationClass.isBlank()) {
            throw new IllegalStateException("entitlement agent started without the initialisation class name");
        }
        Class<?> init = Class.forName(initializationClass, true, ClassLoader.getSystemClassLoader());
        init.getMethod("initialize", Instrumentation.class).invoke(null, inst);
    }
}
