package io.casswarm.common.document.query;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a condition asks of a path; written {@code $eq}, {@code $gt} ... in the public syntax. */
public enum Operator {
    EQ, GT, GTE, LT, LTE, IN, EXISTS;

    /** Ranges compare one value in order: numbers, strings, timestamps. */
    public boolean isRange() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }

    /** {@code $gt} and {@code $gte}; the others of the ranges are upper bounds. */
    public boolean isLowerBound() {
        return this == GT || this == GTE;
    }

    /** {@code $gt} etc. */
    @JsonValue
    public String token() {
        return "$" + name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Operator of(String token) {
        for (Operator operator : values()) {
            if (operator.token().equals(token) || operator.name().equalsIgnoreCase(token)) {
                return operator;
            }
        }
        throw new IllegalArgumentException("unknown operator " + token);
    }
}
