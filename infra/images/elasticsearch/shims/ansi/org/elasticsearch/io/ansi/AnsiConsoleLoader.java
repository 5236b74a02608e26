package org.elasticsearch.io.ansi;

import java.util.function.Supplier;

/**
 * The server looks this class up in {@code lib/tools/ansi-console/} to decorate an interactive
 * terminal. A container has no terminal: returning null tells the server there is no console.
 */
public final class AnsiConsoleLoader implements Supplier<Object> {

    public AnsiConsoleLoader() {}

    @Override
    public Object get() {
        return null;
    }
}
