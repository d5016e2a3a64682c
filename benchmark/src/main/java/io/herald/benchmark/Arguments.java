package io.herald.benchmark;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of a scenario. Every option a scenario reads is declared with
 * its default, so that a mistyped option fails the run instead of being silently ignored.
 */
final class Arguments {

    private final Map<String, String> given = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    Arguments(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--") || option.length() == 2) {
                throw new IllegalArgumentException("expected an option like --name value, got '" + option + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            given.put(option.substring(2), args[++i]);
        }
    }

    int integer(String name, int defaultValue) {
        long value = number(name, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " is too large: " + value);
        }
        return (int) value;
    }

    long number(String name, long defaultValue) {
        read.add(name);
        String value = given.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim().replace("_", ""));
            if (parsed < 0) {
                throw new IllegalArgumentException("--" + name + " must not be negative, was " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'");
        }
    }

    String text(String name, String defaultValue) {
        read.add(name);
        return given.getOrDefault(name, defaultValue);
    }

    boolean yesOrNo(String name, boolean defaultValue) {
        String value = text(name, defaultValue ? "yes" : "no");
        if (!value.equals("yes") && !value.equals("no")) {
            throw new IllegalArgumentException("--" + name + " must be yes or no, was '" + value + "'");
        }
        return value.equals("yes");
    }

    /** Call after reading every option: fails on options nobody asked for. */
    void rejectUnknown() {
        for (String name : given.keySet()) {
            if (!read.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }

    /** The options as given, for the report. */
    Map<String, String> given() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }
}
