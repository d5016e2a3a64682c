package io.herald.operator.apps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushAppSpec;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Decides which of a cluster's PushApps its gateways serve, and why the others are left out. One
 * place for the rules, so that the cluster's apps Secret and each app's status never disagree.
 */
public final class AppCatalog {

    private final List<PublishedApp> published;
    private final Map<String, String> problems;

    private AppCatalog(List<PublishedApp> published, Map<String, String> problems) {
        this.published = List.copyOf(published);
        this.problems = Map.copyOf(problems);
    }

    /**
     * @param clusterNamespace where the cluster is: its apps are named by name there, by namespace and name elsewhere
     * @param apps the PushApps naming one cluster that it serves ({@link Tenancy#served})
     * @param secrets reads an app's secret, empty when its Secret or key is missing
     */
    public static AppCatalog of(String clusterNamespace, List<PushApp> apps, Function<PushApp, Optional<String>> secrets) {
        List<PublishedApp> published = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> idOwners = new HashMap<>();
        Map<String, String> keyOwners = new HashMap<>();
        // The older app keeps a contested id or key, so applying a new app never breaks a running one.
        List<PushApp> oldestFirst = apps.stream()
                .sorted(Comparator.comparing((PushApp app) -> Optional.ofNullable(app.getMetadata().getCreationTimestamp()).orElse(""))
                        .thenComparing(app -> ClusterRefs.label(app, clusterNamespace)))
                .toList();
        for (PushApp app : oldestFirst) {
            String name = ClusterRefs.label(app, clusterNamespace);
            Optional<String> problem = specProblem(app.getSpec());
            if (problem.isEmpty()) {
                problem = Optional.ofNullable(idOwners.get(app.getSpec().appId))
                        .map(owner -> "appId " + app.getSpec().appId + " is already used by PushApp " + owner)
                        .or(() -> Optional.ofNullable(keyOwners.get(app.getSpec().key))
                                .map(owner -> "key " + app.getSpec().key + " is already used by PushApp " + owner));
            }
            Optional<String> secret = problem.isEmpty() ? secrets.apply(app).filter(s -> !s.isBlank())
                    : Optional.empty();
            if (problem.isEmpty() && secret.isEmpty()) {
                problem = Optional.of(app.getSpec().secretRef + " is missing or empty");
            }
            if (problem.isPresent()) {
                problems.put(name, problem.get());
                continue;
            }
            PushAppSpec spec = app.getSpec();
            idOwners.put(spec.appId, name);
            keyOwners.put(spec.key, name);
            published.add(new PublishedApp(spec.appId, spec.key, secret.get(), spec.features.clientEvents,
                    spec.features.userAuthentication, spec.limits.maxConnections, spec.limits.maxChannelsPerConnection,
                    spec.limits.subscribesPerSecond,
                    AppRules.history(spec), AppRules.archive(spec), AppRules.offline(spec), AppRules.webhooks(spec),
                    spec.features.subscriptionCount));
        }
        published.sort(Comparator.comparing(PublishedApp::id));
        return new AppCatalog(published, problems);
    }

    /**
     * The apps whose fate can decide the named one's: it, and every app linked to it by a shared
     * appId or key, directly or through others (an older app keeps a contested id only if it is
     * served itself). Deciding one app's status needs only these, and so only their Secrets,
     * rather than every Secret of every app of the cluster.
     */
    public static List<PushApp> contending(List<PushApp> apps, PushApp pushApp) {
        List<PushApp> component = new ArrayList<>();
        apps.stream().filter(app -> ResourceID.fromResource(app).equals(ResourceID.fromResource(pushApp))).findFirst()
                .ifPresent(component::add);
        for (int i = 0; i < component.size(); i++) {
            PushAppSpec linked = component.get(i).getSpec();
            apps.stream().filter(app -> !component.contains(app) && app.getSpec() != null && linked != null
                            && (Objects.equals(app.getSpec().appId, linked.appId) || Objects.equals(app.getSpec().key, linked.key)))
                    .forEach(component::add);
        }
        return component;
    }

    /** What admission would have refused, checked again because not every API server runs the schema. */
    static Optional<String> specProblem(PushAppSpec spec) {
        if (spec == null) {
            return Optional.of("spec is missing");
        }
        if (spec.appId == null || !spec.appId.matches(PushAppSpec.ID_PATTERN)) {
            return Optional.of("appId must be letters, digits, '_', '.' or '-', was " + spec.appId);
        }
        if (spec.key == null || !spec.key.matches(PushAppSpec.ID_PATTERN)) {
            return Optional.of("key must be letters, digits, '_', '.' or '-', was " + spec.key);
        }
        if (spec.secretRef == null || spec.secretRef.name == null || spec.secretRef.key == null) {
            return Optional.of("secretRef needs a name and a key");
        }
        if (spec.features == null || spec.limits == null || spec.limits.maxConnections < 0) {
            return Optional.of("limits.maxConnections must be 0 (no limit) or more");
        }
        if (spec.limits.maxChannelsPerConnection < 0 || spec.limits.subscribesPerSecond < 0) {
            return Optional.of("limits.maxChannelsPerConnection and limits.subscribesPerSecond must be 0 (the gateway's "
                    + "default) or more");
        }
        return AppRules.problem(spec);
    }

    public List<PublishedApp> published() {
        return published;
    }

    /** Why the PushApp is not served, if it is not; named as {@link ClusterRefs#label} names it. */
    public Optional<String> problemOf(String pushAppName) {
        return Optional.ofNullable(problems.get(pushAppName));
    }

    public Map<String, String> problems() {
        return problems;
    }
}
