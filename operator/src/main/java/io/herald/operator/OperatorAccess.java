package io.herald.operator;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.herald.operator.cluster.PushClusterReconciler;
import io.herald.operator.model.AccessModel;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.Component;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Every Kubernetes API call the operator makes, as the (group/resource, verbs) RBAC must grant: the
 * one place the Helm chart's Roles are checked against (HelmChartTest), so that a new call without
 * its grant, or a grant no call uses, fails a test rather than a production install. Keys are
 * {@code group/resource}, with {@code core} for the "" group.
 *
 * <p>The owned objects come from the PushCluster workflow's dependents themselves: JOSDK lists and
 * watches each kind through an informer and writes it with server-side apply, which is a
 * {@code patch} and, for an object that does not exist yet, also a {@code create}. Only a dependent
 * with a reconcile precondition (the Ingress, the NetworkPolicies) is ever deleted; the others go with their
 * PushCluster through the garbage collector.
 */
public final class OperatorAccess {

    private static final Set<String> INFORMED = Set.of("list", "watch");
    private static final Set<String> APPLIED = Set.of("list", "watch", "create", "patch");

    private OperatorAccess() {
    }

    /** What the operator needs in every namespace it watches. */
    public static Map<String, Set<String>> inWatchedNamespaces() {
        Map<String, Set<String>> needs = new TreeMap<>();
        for (Dependent dependent : PushClusterReconciler.class.getAnnotation(Workflow.class).dependents()) {
            Class<? extends HasMetadata> type = resourceType(dependent);
            grant(needs, key(HasMetadata.getGroup(type), HasMetadata.getPlural(type)), APPLIED);
            if (dependent.reconcilePrecondition() != Condition.class) {
                grant(needs, key(HasMetadata.getGroup(type), HasMetadata.getPlural(type)), Set.of("delete"));
            }
        }
        // Both reconcilers' primaries, the cluster reconciler's informer on PushApps, and the app
        // reconciler's on PushClusters, which it reads its app's cluster from.
        grant(needs, "herald.io/pushclusters", INFORMED);
        grant(needs, "herald.io/pushapps", INFORMED);
        // UpdateControl.patchStatus and ErrorStatusUpdateControl.patchStatus, on both kinds.
        grant(needs, "herald.io/pushclusters/status", Set.of("patch"));
        grant(needs, "herald.io/pushapps/status", Set.of("patch"));
        // Owned objects carry blockOwnerDeletion, which the OwnerReferencesPermissionEnforcement
        // admission plugin allows only to whoever may update the owner's finalizers.
        grant(needs, "herald.io/pushclusters/finalizers", Set.of("update"));
        // SecretReader: the Secrets a spec names, one GET each.
        grant(needs, "core/secrets", Set.of("get"));
        // The pods' Leases (connections, shard owners, archive reports), by label.
        grant(needs, "coordination.k8s.io/leases", INFORMED);
        // DeletionCost: the pod-deletion-cost annotation, as a merge patch.
        grant(needs, "core/pods", Set.of("patch"));
        // PrometheusObjects: the optional ServiceMonitor and PrometheusRule, read, created, updated
        // when they differ from the plan and deleted when the spec drops them; not dependents, so
        // that no informer needs their CRDs.
        grant(needs, "monitoring.coreos.com/servicemonitors", Set.of("get", "create", "update", "delete"));
        grant(needs, "monitoring.coreos.com/prometheusrules", Set.of("get", "create", "update", "delete"));
        // HttpRouteObject: the optional HTTPRoute, with the same calls for the same reason.
        grant(needs, "gateway.networking.k8s.io/httproutes", Set.of("get", "create", "update", "delete"));
        // ClusterEvents: scaling steps and refused specs.
        grant(needs, "core/events", Set.of("create"));
        // Kubernetes lets the operator create a Role only if it holds everything the Role grants.
        ClusterNames any = new ClusterNames("any", "any");
        for (Component component : Component.values()) {
            for (PolicyRule rule : AccessModel.of(any, component).role().getRules()) {
                rule.getApiGroups().forEach(group -> rule.getResources().forEach(resource ->
                        grant(needs, key(group, resource), Set.copyOf(rule.getVerbs()))));
            }
        }
        return needs;
    }

    /**
     * The operator's own leader election Lease, in its namespace: fabric8's LeaseLock gets and
     * creates it and renews it with a patch (locked on its resourceVersion); Leadership replaces it
     * (an update) to release it. At start JOSDK checks, with a SelfSubjectRulesReview that every
     * authenticated account may create, that get, create and update are granted here.
     */
    public static Map<String, Set<String>> leaderElection() {
        return Map.of("coordination.k8s.io/leases", Set.of("get", "create", "patch", "update"));
    }

    /** At start, quarkus-operator-sdk checks that the operator's two CRDs exist, one GET each. */
    public static Map<String, Set<String>> clusterScoped() {
        return Map.of("apiextensions.k8s.io/customresourcedefinitions", Set.of("get"));
    }

    private static Class<? extends HasMetadata> resourceType(Dependent dependent) {
        try {
            DependentResource<?, ?> resource = dependent.type().getDeclaredConstructor().newInstance();
            return resource.resourceType().asSubclass(HasMetadata.class);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalStateException("Dependent " + dependent.name() + " has no public no-argument constructor", e);
        }
    }

    private static String key(String group, String resource) {
        return (group == null || group.isEmpty() ? "core" : group) + "/" + resource;
    }

    private static void grant(Map<String, Set<String>> needs, String resource, Set<String> verbs) {
        needs.computeIfAbsent(resource, k -> new TreeSet<>()).addAll(verbs);
    }
}
