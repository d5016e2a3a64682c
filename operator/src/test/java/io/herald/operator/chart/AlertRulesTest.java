package io.herald.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.herald.operator.model.AlertRules;

/**
 * Herald's alerts (helm/herald-operator/alerts/herald.yaml), checked offline, where no PromQL
 * parser is at hand: every series they name is one the code registers (as the Prometheus registry
 * names it), every selector is limited to the cluster once the operator fills it in, brackets
 * balance, and each alert carries what an on-call engineer and docs/operations.md need.
 */
class AlertRulesTest {

    private static final String CLUSTER = "namespace=\"team-a\",herald_cluster=\"herald\"";
    private static final List<Path> SOURCES = List.of(Path.of("../gateway/src/main/java"), Path.of("../router/src/main/java"),
            Path.of("../membership/src/main/java"), Path.of("../operator/src/main/java"));
    /** A Micrometer builder call: its kind, name and, in the same statement, its base unit. */
    private static final Pattern METER = Pattern.compile(
            "(Counter|FunctionCounter|Gauge|Timer)\\.builder\\(\"(herald\\.[a-z.]+)\"([^;]*?\\.baseUnit\\(\"(\\w+)\"\\))?");
    /** A series with its label matchers; the rules write none without. */
    private static final Pattern SERIES = Pattern.compile("\\b([a-z_]+)\\{([^}]*)}");
    /** What is left of an expression without its matchers and grouping labels holds no series name. */
    private static final Pattern NOT_SERIES = Pattern.compile("\\b[a-z_]+\\{[^}]*}|\\b(?:by|without) \\([^)]*\\)");

    @Test
    void everySeriesTheAlertsReadIsOneTheCodeRegisters() throws IOException {
        Set<String> registered = registeredSeries();
        assertTrue(registered.contains("herald_router_shard_lag_seconds"), "names are derived as the registry derives them: "
                + registered);
        Set<String> read = new TreeSet<>();
        for (Map<String, Object> rule : rules(CLUSTER)) {
            Matcher series = SERIES.matcher((String) rule.get("expr"));
            while (series.find()) {
                read.add(series.group(1));
            }
        }
        read.remove("up");
        Set<String> unknown = new TreeSet<>(read);
        unknown.removeAll(registered);
        assertEquals(Set.of(), unknown, "alerts on series no code registers");
        assertTrue(read.size() >= 8, "the alerts read Herald's series: " + read);
    }

    @Test
    void everySelectorIsLimitedToTheClusterOnceTheOperatorFillsItIn() {
        for (Map<String, Object> rule : rules(CLUSTER)) {
            String expr = (String) rule.get("expr");
            assertFalse(expr.contains(AlertRules.SELECTOR_PLACEHOLDER), expr);
            Matcher series = SERIES.matcher(expr);
            while (series.find()) {
                assertTrue(series.group(2).contains(CLUSTER), rule.get("alert") + " reads " + series.group()
                        + " beyond its cluster");
            }
            String rest = NOT_SERIES.matcher(expr).replaceAll("");
            assertFalse(rest.matches("(?s).*\\b(herald_\\w+|up)\\b.*"), rule.get("alert") + " reads a series without matchers: "
                    + rest);
            assertBalanced(rule.get("alert") + "", expr);
        }
    }

    @Test
    void everyAlertSaysHowBadItIsAndWhatHappened() throws IOException {
        String operations = Files.readString(Path.of("../docs/operations.md"));
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> rule : rules(CLUSTER)) {
            String name = (String) rule.get("alert");
            assertTrue(name.matches("Herald[A-Z][A-Za-z]+"), name);
            assertTrue(names.add(name), name + " is unique");
            Object wait = rule.get("for");
            assertTrue(wait == null || wait.toString().matches("\\d+[smh]"), name + " for: " + wait);
            Map<?, ?> labels = (Map<?, ?>) rule.get("labels");
            assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), name + " severity");
            Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
            assertFalse(annotations.get("summary").toString().isBlank(), name);
            assertTrue(annotations.get("description").toString().contains("{{ $labels.namespace }}"), name);
            assertTrue(operations.contains("`" + name + "`"), name + " is not in docs/operations.md");
        }
        assertTrue(names.containsAll(Set.of("HeraldRouterLagHigh", "HeraldShardsWithoutOwner", "HeraldLeaseRenewFailures",
                "HeraldFencingRejections", "HeraldRedisCommandErrors", "HeraldWebhookFailures")), names.toString());
    }

    /** Brackets of every kind close in order, and no label matcher list is left empty or dangling. */
    private static void assertBalanced(String alert, String expr) {
        StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "({[".indexOf(c) >= 0) {
                open.append(c);
            } else if (!quoted && ")}]".indexOf(c) >= 0) {
                assertTrue(open.length() > 0 && "({[".indexOf(open.charAt(open.length() - 1)) == ")}]".indexOf(c),
                        alert + ": unbalanced " + c + " in " + expr);
                open.setLength(open.length() - 1);
            }
        }
        assertEquals("", open.toString(), alert + ": unclosed in " + expr);
        assertFalse(quoted, alert + ": unclosed quote");
        assertFalse(expr.matches("(?s).*(\\{,|,}|,,).*"), alert + ": a stray comma in a matcher list: " + expr);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(String selector) {
        return AlertRules.groups(selector).stream()
                .flatMap(group -> ((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules")).stream())
                .toList();
    }

    /** Series names as Micrometer's Prometheus naming gives them: units appended, counters with _total. */
    private static Set<String> registeredSeries() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher meter = METER.matcher(Files.readString(file));
                    while (meter.find()) {
                        String unit = meter.group(1).equals("Timer") ? "seconds" : meter.group(4);
                        String name = meter.group(2).replace('.', '_') + (unit == null ? "" : "_" + unit);
                        if (meter.group(1).endsWith("Counter")) {
                            names.add(name + "_total");
                        } else if (meter.group(1).equals("Timer")) {
                            Stream.of("_count", "_sum", "_bucket", "_max").forEach(suffix -> names.add(name + suffix));
                        } else {
                            names.add(name);
                        }
                    }
                }
            }
        }
        return names;
    }
}
