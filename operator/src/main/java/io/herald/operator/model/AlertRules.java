package io.herald.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Herald's alerts, from the file the Helm chart's PrometheusRule is made of too
 * ({@code helm/herald-operator/alerts/herald.yaml}, packaged into the operator by its pom), so the
 * chart and each PushCluster alert on the same conditions.
 */
public final class AlertRules {

    /** Where the file's expressions take their label matchers. */
    public static final String SELECTOR_PLACEHOLDER = "HERALD_SELECTOR";
    static final String RESOURCE = "/alerts/herald.yaml";
    private static final String SOURCE = load();

    private AlertRules() {
    }

    /** The file's rule groups, each expression limited by {@code selector} (label matchers, comma-separated). */
    @SuppressWarnings("unchecked")
    public static List<Object> groups(String selector) {
        Map<String, Object> file = Serialization.unmarshal(SOURCE.replace(SELECTOR_PLACEHOLDER, selector), Map.class);
        return (List<Object>) file.get("groups");
    }

    private static String load() {
        try (InputStream in = AlertRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: the operator's pom packages it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
