package io.herald.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import io.herald.contract.PodSettings;

/**
 * The settings table of docs/operations.md ("Settings") beside the config mappings it describes,
 * so that a module's test can hold the two equal: every setting a mapping reads is in the table,
 * with the mapping's default. Only for tests: it needs SmallRye Config on the classpath.
 */
public final class SettingsReference {

    /** A table row: {@code | `herald.a.b` | `HERALD_A_B` | default | read by | what |}. */
    private static final Pattern ROW = Pattern.compile("^\\| `(herald\\.[a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\| ([^|]*) \\| ([^|]*) \\|");
    /** What the table says for a setting without a default. */
    public static final String NO_DEFAULT = "none";

    private SettingsReference() {
    }

    /** Every setting the mapping reads, by name, with its default ({@link #NO_DEFAULT} without one). */
    public static Map<String, String> settingsOf(Class<?> mapping) {
        Map<String, String> settings = new LinkedHashMap<>();
        collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), settings);
        return settings;
    }

    private static void collect(Class<?> group, String prefix, Map<String, String> settings) {
        Method[] methods = group.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            if (!Modifier.isAbstract(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() != null) {
                collect(type, name, settings);
            } else {
                WithDefault fallback = method.getAnnotation(WithDefault.class);
                settings.put(name, fallback != null ? fallback.value() : NO_DEFAULT);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The table's rows: setting name, its environment variable and its default as written. */
    public static Map<String, Row> documented(Path operationsDoc) {
        Map<String, Row> rows = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(operationsDoc)) {
                Matcher row = ROW.matcher(line);
                if (row.find()) {
                    rows.put(row.group(1), new Row(row.group(2), row.group(3).trim().replace("`", ""), row.group(4).trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** docs/operations.md, found from a module's directory (where Maven runs its tests) or the repository's. */
    public static Path operationsDoc() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/operations.md");
            if (Files.exists(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("No docs/operations.md above " + here);
    }

    /**
     * Checks the guide against the mappings one process reads: each of their settings is in the
     * table with its default and environment variable, and, when {@code role} is given
     * ({@code gateways}, {@code routers}), each row that names the role is one of their settings.
     *
     * @throws AssertionError naming every difference
     */
    public static void assertDocumented(String role, Class<?>... mappings) {
        Map<String, Row> rows = documented(operationsDoc());
        Map<String, String> read = new LinkedHashMap<>();
        for (Class<?> mapping : mappings) {
            read.putAll(settingsOf(mapping));
        }
        List<String> problems = new ArrayList<>();
        read.forEach((name, fallback) -> {
            Row row = rows.get(name);
            if (row == null) {
                problems.add(name + " is not in the table");
            } else if (!row.defaultValue().equals(fallback)) {
                problems.add(name + ": the table says default " + row.defaultValue() + ", the code " + fallback);
            } else if (!row.environmentVariable().equals(PodSettings.env(name))) {
                problems.add(name + ": the table says variable " + row.environmentVariable() + ", it is " + PodSettings.env(name));
            }
        });
        if (role != null) {
            rows.forEach((name, row) -> {
                if (row.readBy().contains(role) && !read.containsKey(name)) {
                    problems.add(name + " is in the table for " + role + ", which do not read it");
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("docs/operations.md, \"Settings of gateway and router pods\", differs from the code:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** One documented setting. */
    public record Row(String environmentVariable, String defaultValue, String readBy) {
    }
}
