package io.herald.operator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;

/**
 * What an API server does with a committed CRD's schema when a resource is created or updated:
 * it fills in the schema's defaults, then evaluates every {@code x-kubernetes-validations} rule
 * against the value at the rule's place. A rule on an absent value is not evaluated, and a
 * transition rule (one that reads {@code oldSelf}) only on an update where the old value exists.
 *
 * <p>The Fabric8 test server does neither, so the rules are evaluated here with CEL-Java. The
 * types are left dynamic: a rule that compares the wrong types fails when it is evaluated, which
 * the tests do for every rule.
 */
public final class CrdAdmission {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Cel CEL = CelFactory.standardCelBuilder()
            // has(), all(), exists(), map() and filter(), which Kubernetes enables.
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();

    /** Kubernetes' list of CEL keywords that it escapes in property names. */
    private static final Set<String> CEL_KEYWORDS = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");

    /** A rule of the schema, where it stands ("spec.gateway") and what it says when it fails. */
    public record Rule(String path, String expression, String message) {
    }

    private final JsonNode schema;

    private CrdAdmission(JsonNode schema) {
        this.schema = schema;
    }

    /** The first version's schema of a CRD file in {@code crds/}. */
    public static CrdAdmission of(String crdFile) throws IOException {
        JsonNode crd = YAML.readTree(Path.of("../crds", crdFile).toFile());
        return new CrdAdmission(crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema"));
    }

    /** Reads a resource written as YAML, for example one of the chart's examples. */
    public static Map<String, Object> readYaml(Path file) throws IOException {
        return plain(YAML.readTree(file.toFile()));
    }

    /** A JSON or YAML document as the plain maps, lists, longs, doubles, strings and booleans CEL evaluates. */
    public static Map<String, Object> parse(String document) throws IOException {
        return plain(YAML.readTree(document));
    }

    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        collectRules(schema, "", rules);
        return rules;
    }

    /** Compile errors of every rule; empty when all compile. */
    public List<String> compileErrors() {
        List<String> errors = new ArrayList<>();
        for (Rule rule : rules()) {
            try {
                compile(rule.expression());
            } catch (CelValidationException e) {
                errors.add(rule.path() + ": " + rule.expression() + ": " + e.getMessage());
            }
        }
        return errors;
    }

    /** The messages of the rules a create would fail, after defaulting. */
    public List<String> create(Map<String, Object> resource) {
        return violations(schema, withDefaults(resource), null, "");
    }

    /** The messages of the rules an update from {@code old} to {@code updated} would fail, after defaulting. */
    public List<String> update(Map<String, Object> old, Map<String, Object> updated) {
        return violations(schema, withDefaults(updated), withDefaults(old), "");
    }

    /** A copy with the schema's defaults filled in, as the API server stores it. */
    public Map<String, Object> withDefaults(Map<String, Object> resource) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) deepCopy(resource);
        applyDefaults(schema, copy);
        return copy;
    }

    private static void collectRules(JsonNode node, String path, List<Rule> rules) {
        for (JsonNode rule : node.path("x-kubernetes-validations")) {
            rules.add(new Rule(path.isEmpty() ? "." : path, rule.path("rule").asText(), rule.path("message").asText()));
        }
        node.path("properties").fields()
                .forEachRemaining(property -> collectRules(property.getValue(), join(path, property.getKey()), rules));
        if (node.has("items")) {
            collectRules(node.get("items"), path + "[]", rules);
        }
        if (node.path("additionalProperties").isObject()) {
            collectRules(node.get("additionalProperties"), path + "{}", rules);
        }
    }

    @SuppressWarnings("unchecked")
    private static void applyDefaults(JsonNode node, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> object = (Map<String, Object>) map;
            Iterator<Map.Entry<String, JsonNode>> properties = node.path("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                if (!object.containsKey(property.getKey()) && property.getValue().has("default")) {
                    object.put(property.getKey(), plainValue(property.getValue().get("default")));
                }
                Optional.ofNullable(object.get(property.getKey())).ifPresent(child -> applyDefaults(property.getValue(), child));
            }
            if (node.path("additionalProperties").isObject()) {
                object.values().forEach(child -> applyDefaults(node.get("additionalProperties"), child));
            }
        } else if (value instanceof List<?> list && node.has("items")) {
            list.forEach(item -> applyDefaults(node.get("items"), item));
        }
    }

    private static List<String> violations(JsonNode node, Object value, Object old, String path) {
        List<String> failed = new ArrayList<>();
        for (JsonNode rule : node.path("x-kubernetes-validations")) {
            String expression = rule.path("rule").asText();
            boolean transition = expression.contains("oldSelf");
            if (transition && old == null) {
                continue;
            }
            Map<String, Object> variables = new HashMap<>();
            variables.put("self", escaped(value));
            if (transition) {
                variables.put("oldSelf", escaped(old));
            }
            try {
                if (!Boolean.TRUE.equals(CEL.createProgram(compile(expression)).eval(variables))) {
                    failed.add(rule.path("message").asText());
                }
            } catch (CelValidationException | CelEvaluationException e) {
                failed.add((path.isEmpty() ? "." : path) + ": " + expression + " could not be evaluated: " + e.getMessage());
            }
        }
        if (value instanceof Map<?, ?> object) {
            Map<?, ?> oldObject = old instanceof Map<?, ?> map ? map : Map.of();
            node.path("properties").fields().forEachRemaining(property -> {
                Object child = object.get(property.getKey());
                if (child != null) {
                    failed.addAll(violations(property.getValue(), child, oldObject.get(property.getKey()),
                            join(path, property.getKey())));
                }
            });
            if (node.path("additionalProperties").isObject()) {
                object.forEach((key, child) -> failed.addAll(violations(node.get("additionalProperties"), child,
                        oldObject.get(key), path + "{" + key + "}")));
            }
        } else if (value instanceof List<?> list && node.has("items")) {
            // Kubernetes pairs list items with old ones only for map-type lists, which these schemas do not use.
            for (int i = 0; i < list.size(); i++) {
                failed.addAll(violations(node.get("items"), list.get(i), null, path + "[" + i + "]"));
            }
        }
        return failed;
    }

    private static CelAbstractSyntaxTree compile(String expression) throws CelValidationException {
        return CEL.compile(expression).getAst();
    }

    private static String join(String path, String property) {
        return path.isEmpty() ? property : path + "." + property;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(JsonNode node) {
        return (Map<String, Object>) plainValue(node);
    }

    /** CEL's int is a long; Jackson would give an Integer for small numbers. */
    private static Object plainValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> map.put(field.getKey(), plainValue(field.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plainValue(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isNull() ? null : node.asText();
    }

    /**
     * A value with the property names that are CEL keywords (a Gateway reference's
     * {@code namespace}) as the API server exposes them to rules: {@code __namespace__}. The rules
     * here read no other escaped names (dots, dashes, slashes, double underscores).
     */
    private static Object escaped(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(CEL_KEYWORDS.contains(key) ? "__" + key + "__" : key, escaped(child)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CrdAdmission::escaped).toList();
        }
        return value;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(key, deepCopy(child)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(deepCopy(item)));
            return copy;
        }
        return value;
    }
}
