package io.herald.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Herald process's {@code /q/metrics}, read as Prometheus reads the text format,
 * for tests that check which series exist and how their values moved. Samples are matched by
 * name and by a subset of their labels; the values of all matching samples add up, as
 * {@code sum(...)} in PromQL would.
 */
public final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    /** A sample line: {@code name{label="value",...} number}. */
    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private MetricsScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
    }

    /**
     * Scrapes {@code /q/metrics} of the process whose HTTP root is {@code root}, in the classic
     * text format (without an Accept header the registry answers in OpenMetrics).
     */
    public static MetricsScrape of(URI root) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(root.resolve("/q/metrics"))
                .header("Accept", "text/plain; version=0.0.4").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/q/metrics answered " + response.statusCode() + ": " + response.body());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/plain")) {
            throw new IllegalStateException("/q/metrics is not Prometheus text but " + type);
        }
        return new MetricsScrape(response.body());
    }

    /** Whether any sample has the name (e.g. {@code herald_gateway_connects_total}). */
    public boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }

    /**
     * The sum of the samples with the name and these labels (and any others), or 0 when none has
     * them: a labelled counter appears only once something was counted under its labels.
     *
     * @param labels label names and values, alternating: {@code "app", "1", "code", "4001"}
     */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(sample -> sample.name().equals(name))
                .filter(sample -> sample.labels().entrySet().containsAll(wanted.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** The scrape as served, for assertions on what must never appear in it. */
    public String text() {
        return text;
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int end = line.lastIndexOf('}');
            parseLabels(line.substring(brace + 1, end), labels);
        } else {
            name = line.substring(0, space);
        }
        return new Sample(name, labels, number(line.substring(space + 1)));
    }

    /** The format writes infinities as Go does. */
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Label values are quoted and may hold escaped quotes, backslashes and newlines. */
    private static void parseLabels(String body, Map<String, String> labels) {
        int i = 0;
        while (i < body.length()) {
            int equals = body.indexOf('=', i);
            String key = body.substring(i, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (body.charAt(j) != '"') {
                char c = body.charAt(j);
                if (c == '\\') {
                    j++;
                    c = body.charAt(j) == 'n' ? '\n' : body.charAt(j);
                }
                value.append(c);
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < body.length() && body.charAt(i) == ',') {
                i++;
            }
        }
    }
}
