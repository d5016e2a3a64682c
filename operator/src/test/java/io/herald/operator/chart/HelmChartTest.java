package io.herald.operator.chart;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Map.entry;
import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.herald.operator.OperatorAccess;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.model.AccessModel;
import io.herald.operator.model.AlertRules;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.Component;

/**
 * The Helm chart as Helm itself renders it (through helm-java, no helm binary or cluster needed),
 * parsed back into Fabric8 objects: what it installs, what the operator may do, and whether the
 * examples it points users to are resources the operator understands.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("../helm/herald-operator");
    private static final String RELEASE = "herald";
    private static final String RELEASE_NAMESPACE = "herald-system";
    private static final String FULLNAME = "herald-herald-operator";
    /** helm-java renders for Kubernetes 1.20 unless told otherwise, older than the chart accepts. */
    private static final String KUBE_VERSION = "1.30.0";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void lintsStrictlyWithoutWarnings() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
        assertEquals(List.of(), result.getMessages().stream()
                .filter(message -> !message.equals("[INFO] Chart.yaml: icon is recommended")).toList());
    }

    @Test
    void badValuesAreRefusedNamingTheValue() {
        for (Map.Entry<String, String> bad : List.of(entry("image.pullPolicy", "Sometimes"), entry("replicaCount", "2"),
                entry("replicas", "0"),
                entry("watchNamespaces[0]", "Team_A"), entry("watchNamespaces", "team-a,{x}"),
                entry("watchNamespaces", "team-a,JOSDK_ALL_NAMESPACES"), entry("watchNamespaces", "JOSDK_WATCH_CURRENT,team-a"),
                entry("watchNamespaces", ""), entry("networkPolicy.apiServerCidrs[0]", "kubernetes.default"),
                entry("monitoring.serviceMonitor.interval", "soon"), entry("monitoring.prometheusRule.severity", "high"),
                entry("gatewayImage.repository", ""))) {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> render(Map.ofEntries(bad)),
                    bad + " was accepted");
            String key = bad.getKey().replaceAll("\\[\\d+]$", "").substring(bad.getKey().lastIndexOf('.') + 1);
            assertTrue(refused.getMessage().contains(key) && refused.getMessage().contains("schema"),
                    bad + ": " + refused.getMessage());
        }
    }

    /** JOSDK refuses to start with either special value beside names; the chart refuses first, at install. */
    @Test
    void specialNamespaceValuesStandAlone() {
        for (Map<String, String> mixed : List.of(
                Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "JOSDK_ALL_NAMESPACES"),
                Map.of("watchNamespaces[0]", "JOSDK_WATCH_CURRENT", "watchNamespaces[1]", "team-a"),
                Map.of("watchNamespaces[0]", "JOSDK_WATCH_CURRENT", "watchNamespaces[1]", "JOSDK_ALL_NAMESPACES"))) {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> render(mixed), mixed + " was accepted");
            assertTrue(refused.getMessage().contains("watchNamespaces"), refused.getMessage());
        }
        assertEquals("JOSDK_ALL_NAMESPACES", env(only(render(Map.of("watchNamespaces[0]", "JOSDK_ALL_NAMESPACES")),
                Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
        assertEquals("JOSDK_WATCH_CURRENT", env(only(render(Map.of("watchNamespaces", "JOSDK_WATCH_CURRENT")),
                Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
        assertEquals("team-a,team-b", env(only(render(Map.of("watchNamespaces", "team-a,team-b")),
                Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
    }

    @Test
    void aStandbyComesWithADisruptionBudgetThatKeepsOneOperatorRunning() {
        assertEquals(List.of(), render(Map.of()).stream().filter(PodDisruptionBudget.class::isInstance).toList(),
                "one replica: a budget would block node drains");
        for (String replicas : List.of("2", "3")) {
            List<HasMetadata> objects = render(Map.of("replicas", replicas));
            PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
            assertEquals(FULLNAME, budget.getMetadata().getName());
            assertEquals(RELEASE_NAMESPACE, budget.getMetadata().getNamespace());
            assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
            assertNull(budget.getSpec().getMinAvailable());
            assertEquals(only(objects, Deployment.class).getSpec().getSelector().getMatchLabels(),
                    budget.getSpec().getSelector().getMatchLabels());
        }
    }

    /** The HPA in docs/operations.md targets the example cluster, whose bounds the API server enforces on its counts. */
    @Test
    void theDocumentedHpaStaysWithinTheExampleClustersBounds() throws IOException {
        String operations = Files.readString(Path.of("../docs/operations.md"));
        Matcher block = Pattern.compile("```yaml\n(apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n.*?)```",
                Pattern.DOTALL).matcher(operations);
        assertTrue(block.find(), "docs/operations.md shows an HPA");
        HorizontalPodAutoscaler hpa = SERIALIZATION.unmarshal(block.group(1), HorizontalPodAutoscaler.class);
        PushCluster cluster = example("push-cluster.yaml", PushCluster.class);

        assertEquals("PushCluster", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(cluster.getApiVersion(), hpa.getSpec().getScaleTargetRef().getApiVersion());
        assertEquals(cluster.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= cluster.getSpec().gateway.minReplicas, "minReplicas");
        assertTrue(hpa.getSpec().getMaxReplicas() <= cluster.getSpec().gateway.maxReplicas,
                "maxReplicas " + hpa.getSpec().getMaxReplicas() + " exceeds the cluster's " + cluster.getSpec().gateway.maxReplicas);
    }

    @Test
    void defaultsInstallTheOperatorWatchingOnlyTheReleaseNamespace() {
        List<HasMetadata> objects = render(Map.of());

        assertEquals(Map.of("ServiceAccount", 1L, "ClusterRole", 3L, "ClusterRoleBinding", 1L, "Role", 2L,
                "RoleBinding", 2L, "Deployment", 1L), kinds(objects),
                "a Role for the namespace and one for leader election; the CRD reader and the two aggregated roles");
        ServiceAccount account = only(objects, ServiceAccount.class);
        assertEquals(FULLNAME, account.getMetadata().getName());
        assertEquals(RELEASE_NAMESPACE, account.getMetadata().getNamespace());
        assertEquals("JOSDK_WATCH_CURRENT", env(only(objects, Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));

        assertEquals(Map.of(FULLNAME + "-crd-reader", OperatorAccess.clusterScoped()), operatorClusterRoles(objects),
                "nothing namespaced is granted cluster-wide");
        Role role = byName(objects, Role.class).get(FULLNAME);
        assertEquals(RELEASE_NAMESPACE, role.getMetadata().getNamespace());
        assertEquals(OperatorAccess.inWatchedNamespaces(), grants(role.getRules()));
        RoleBinding binding = byName(objects, RoleBinding.class).get(FULLNAME);
        assertEquals(RELEASE_NAMESPACE, binding.getMetadata().getNamespace());
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(FULLNAME, binding.getRoleRef().getName());
        assertOperatorAccount(binding.getSubjects());
    }

    /** Of all CRDs, the operator may read its own two, by name. */
    @Test
    void theOperatorReadsOnlyItsOwnCrds() {
        PolicyRule rule = byName(render(Map.of()), ClusterRole.class).get(FULLNAME + "-crd-reader").getRules().get(0);

        assertEquals(Set.of(HasMetadata.getFullResourceName(PushCluster.class), HasMetadata.getFullResourceName(PushApp.class)),
                Set.copyOf(rule.getResourceNames()));
    }

    @Test
    void watchingEveryNamespaceIsAnExplicitChoiceGrantedByAClusterRole() {
        List<HasMetadata> objects = render(Map.of("watchNamespaces", "JOSDK_ALL_NAMESPACES"));

        assertEquals(Map.of("ServiceAccount", 1L, "ClusterRole", 4L, "ClusterRoleBinding", 2L, "Role", 1L,
                "RoleBinding", 1L, "Deployment", 1L), kinds(objects), "only leader election stays a Role");
        assertEquals("JOSDK_ALL_NAMESPACES", env(only(objects, Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
        Map<String, Map<String, Set<String>>> roles = operatorClusterRoles(objects);
        assertEquals(Map.of(FULLNAME + "-crd-reader", OperatorAccess.clusterScoped(), FULLNAME,
                OperatorAccess.inWatchedNamespaces()), roles);
        Map<String, ClusterRoleBinding> bindings = byName(objects, ClusterRoleBinding.class);
        assertEquals(roles.keySet(), bindings.keySet());
        bindings.forEach((name, binding) -> {
            assertEquals("ClusterRole", binding.getRoleRef().getKind());
            assertEquals(name, binding.getRoleRef().getName());
            assertOperatorAccount(binding.getSubjects());
        });
    }

    @Test
    void replicasElectALeaderOnALeaseInTheReleaseNamespace() {
        List<HasMetadata> objects = render(Map.of("replicas", "2", "watchNamespaces[0]", "team-a"));
        Deployment deployment = only(objects, Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
                "a standby is ready, so the new pod starts before the old one stops");
        assertEquals(FULLNAME, env(deployment).get("HERALD_OPERATOR_LEASE_NAME"));
        assertEquals("metadata.namespace", deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().filter(var -> var.getName().equals("HERALD_OPERATOR_LEASE_NAMESPACE")).findFirst().orElseThrow()
                .getValueFrom().getFieldRef().getFieldPath(), "the Lease lives in the operator's own namespace");
        var spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
        assertEquals("kubernetes.io/hostname", spread.get(0).getTopologyKey(), "replicas spread over nodes");
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), spread.get(0).getLabelSelector().getMatchLabels());

        Role election = byName(objects, Role.class).get(FULLNAME + "-leader-election");
        assertEquals(RELEASE_NAMESPACE, election.getMetadata().getNamespace());
        assertEquals(OperatorAccess.leaderElection(), grants(election.getRules()));
        RoleBinding binding = byName(objects, RoleBinding.class).get(FULLNAME + "-leader-election");
        assertEquals(election.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(RELEASE_NAMESPACE, binding.getMetadata().getNamespace());
        assertOperatorAccount(binding.getSubjects());
    }

    /** Without the Prometheus Operator's CRDs an install with these objects fails, so they are opt-in. */
    @Test
    void theServiceMonitorAndPrometheusRuleAreOptIn() {
        assertEquals(Set.of(), monitoringKinds(render(Map.of())), "off by default");
        assertEquals(Set.of("Service", "ServiceMonitor"), monitoringKinds(render(Map.of("monitoring.serviceMonitor.enabled", "true"))));
        assertEquals(Set.of("PrometheusRule"), monitoringKinds(render(Map.of("monitoring.prometheusRule.enabled", "true"))));
    }

    private static Set<String> monitoringKinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).filter(Set.of("Service", "ServiceMonitor", "PrometheusRule")::contains)
                .collect(Collectors.toSet());
    }

    @Test
    void theServiceMonitorScrapesTheOperatorsMetricsThroughAServiceOnItsHttpPort() {
        List<HasMetadata> objects = render(Map.of("monitoring.serviceMonitor.enabled", "true",
                "monitoring.serviceMonitor.interval", "15s", "monitoring.serviceMonitor.labels.release", "prom",
                "monitoring.serviceMonitor.labels.app\\.kubernetes\\.io/name", "other"));
        Deployment deployment = only(objects, Deployment.class);
        Service service = only(objects, Service.class);
        GenericKubernetesResource monitor = generic(objects, "ServiceMonitor");

        assertEquals(FULLNAME + "-metrics", service.getMetadata().getName());
        assertEquals(RELEASE_NAMESPACE, service.getMetadata().getNamespace());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
        assertEquals(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getName(),
                service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(RELEASE_NAMESPACE, monitor.getMetadata().getNamespace());
        assertEquals("prom", monitor.getMetadata().getLabels().get("release"));
        assertEquals("herald-operator", monitor.getMetadata().getLabels().get("app.kubernetes.io/name"),
                "the chart's labels win a clash");
        Map<?, ?> spec = (Map<?, ?>) monitor.getAdditionalProperties().get("spec");
        Map<?, ?> matchLabels = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
        assertTrue(service.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()), "selects the Service");
        assertEquals(Map.of("matchNames", List.of(RELEASE_NAMESPACE)), spec.get("namespaceSelector"));
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) spec.get("endpoints")).get(0);
        assertEquals(service.getSpec().getPorts().get(0).getName(), endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("15s", endpoint.get("interval"));
        assertEquals(true, endpoint.get("honorLabels"), "a reconcile's namespace label is its resource's");
    }

    /** The chart's alerts are the ones each PushCluster gets (AlertRules), over every cluster, and two on the operator. */
    @Test
    void thePrometheusRuleHasHeraldsSharedAlertsAndTwoOnTheOperator() {
        List<HasMetadata> objects = render(Map.of("monitoring.prometheusRule.enabled", "true",
                "monitoring.prometheusRule.labels.role", "alert-rules"));
        GenericKubernetesResource rule = generic(objects, "PrometheusRule");

        assertEquals(RELEASE_NAMESPACE, rule.getMetadata().getNamespace());
        assertEquals("alert-rules", rule.getMetadata().getLabels().get("role"));
        List<?> groups = (List<?>) ((Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups");
        List<Object> shared = AlertRules.groups("herald_cluster=~\".*\"");
        assertEquals(shared, groups.subList(0, shared.size()), "the same alerts as a PushCluster's, over every cluster");
        Map<?, ?> operator = (Map<?, ?>) groups.get(groups.size() - 1);
        assertEquals("herald-operator", operator.get("name"));
        Map<?, ?> alert = (Map<?, ?>) ((List<?>) operator.get("rules")).get(0);
        assertEquals("HeraldOperatorReconcileFailures", alert.get("alert"));
        assertTrue(alert.get("expr").toString().contains("operator_sdk_reconciliations_failed_total{job=\"" + FULLNAME
                + "-metrics\"}"), "the job Prometheus names after the operator's metrics Service: " + alert.get("expr"));
        assertTrue(((Map<?, ?>) alert.get("annotations")).get("description").toString().contains("{{ $labels.name }}"),
                "Prometheus's template, not Helm's");
        Map<?, ?> refused = (Map<?, ?>) ((List<?>) operator.get("rules")).get(1);
        assertEquals("HeraldOperatorApiCallsRefused", refused.get("alert"));
        assertTrue(refused.get("expr").toString().contains("herald_operator_api_call_failures_total{job=\"" + FULLNAME
                + "-metrics\"}"), refused.get("expr").toString());
        assertTrue(((Map<?, ?>) refused.get("annotations")).get("description").toString().contains("{{ $labels.code }}"),
                "Prometheus's template, not Helm's");
    }

    @Test
    void operatorRunsHardened() {
        Deployment deployment = only(render(Map.of()), Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals(List.of(), pod.getTopologySpreadConstraints(), "one replica needs no spread");
        assertFalse(pod.getEnableServiceLinks());
        assertEquals(Map.of("app.kubernetes.io/name", "herald-operator", "app.kubernetes.io/instance", RELEASE),
                deployment.getSpec().getSelector().getMatchLabels());
        assertEquals(FULLNAME, pod.getServiceAccountName());
        assertEquals(1, pod.getContainers().size());
        assertEquals("ghcr.io/herald-io/herald-operator:" + appVersion(), container.getImage());
        assertEquals("IfNotPresent", container.getImagePullPolicy());
        assertEquals(8080, container.getPorts().get(0).getContainerPort());
        assertEquals("http", container.getPorts().get(0).getName());
        assertHttpProbe("/q/health/live", container.getLivenessProbe());
        assertHttpProbe("/q/health/ready", container.getReadinessProbe());

        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertTrue(container.getSecurityContext().getRunAsNonRoot());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/tmp", container.getVolumeMounts().get(0).getMountPath());
        Volume tmp = pod.getVolumes().stream()
                .filter(volume -> volume.getName().equals(container.getVolumeMounts().get(0).getName()))
                .findFirst().orElseThrow();
        assertNotNull(tmp.getEmptyDir());

        assertEquals(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")),
                container.getResources().getRequests());
        assertEquals(Map.of("memory", new Quantity("512Mi")), container.getResources().getLimits());

        Map<String, String> env = env(container);
        assertEquals("ghcr.io/herald-io/herald-gateway:" + appVersion(), env.get("HERALD_OPERATOR_GATEWAY_IMAGE"));
        assertEquals("ghcr.io/herald-io/herald-router:" + appVersion(), env.get("HERALD_OPERATOR_ROUTER_IMAGE"));
    }

    @Test
    void listedNamespacesGetRolesAndNothingNamespacedIsGrantedClusterWide() {
        List<HasMetadata> objects = render(Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

        assertEquals(Map.of("ServiceAccount", 1L, "ClusterRole", 3L, "ClusterRoleBinding", 1L, "Role", 3L,
                "RoleBinding", 3L, "Deployment", 1L), kinds(objects), "a Role in each namespace and one for leader election");
        assertEquals(Map.of(FULLNAME + "-crd-reader", OperatorAccess.clusterScoped()), operatorClusterRoles(objects));
        assertEquals(FULLNAME + "-crd-reader", only(objects, ClusterRoleBinding.class).getRoleRef().getName());

        Map<String, Role> roles = byNamespace(watchedNamespaceRules(objects, Role.class), Role.class);
        Map<String, RoleBinding> bindings = byNamespace(watchedNamespaceRules(objects, RoleBinding.class), RoleBinding.class);
        assertEquals(Set.of("team-a", "team-b"), roles.keySet());
        assertEquals(roles.keySet(), bindings.keySet());
        roles.forEach((namespace, role) -> {
            assertEquals(OperatorAccess.inWatchedNamespaces(), grants(role.getRules()));
            RoleBinding binding = bindings.get(namespace);
            assertEquals("Role", binding.getRoleRef().getKind());
            assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
            assertOperatorAccount(binding.getSubjects());
        });
        assertEquals("team-a,team-b", env(only(objects, Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
    }

    /** Also the plain string that `--set watchNamespaces=JOSDK_WATCH_CURRENT` gives, rather than a list. */
    @Test
    void watchingTheCurrentNamespaceGrantsTheReleaseNamespace() {
        List<HasMetadata> objects = render(Map.of("watchNamespaces", "JOSDK_WATCH_CURRENT"));

        assertEquals(Set.of(RELEASE_NAMESPACE), byNamespace(watchedNamespaceRules(objects, Role.class), Role.class).keySet());
        assertEquals(Set.of(RELEASE_NAMESPACE), byNamespace(watchedNamespaceRules(objects, RoleBinding.class),
                RoleBinding.class).keySet());
        assertEquals("JOSDK_WATCH_CURRENT", env(only(objects, Deployment.class)).get("QUARKUS_OPERATOR_SDK_NAMESPACES"));
    }

    /** Kubernetes lets the operator create a Role only if it holds everything the Role grants. */
    @Test
    void operatorHoldsEverythingItGrantsItsPods() {
        Map<String, Set<String>> clusterWide = grants(byName(render(Map.of("watchNamespaces", "JOSDK_ALL_NAMESPACES")),
                ClusterRole.class).get(FULLNAME).getRules());
        Map<String, Set<String>> namespaced = grants(byName(render(Map.of("watchNamespaces[0]", "team-a")), Role.class)
                .get(FULLNAME).getRules());

        for (Component component : Component.values()) {
            grants(AccessModel.of(new ClusterNames("herald", "team-a"), component).role().getRules()).forEach((resource, verbs) -> {
                assertTrue(clusterWide.getOrDefault(resource, Set.of()).containsAll(verbs), resource);
                assertTrue(namespaced.getOrDefault(resource, Set.of()).containsAll(verbs), resource);
            });
        }
    }

    /**
     * Kubernetes folds these into its view, edit and admin roles by label, so a namespace's users
     * manage PushApps and PushClusters as they manage Deployments, with nothing bound cluster-wide.
     */
    @Test
    void namespaceViewersReadAndEditorsAndAdminsManagePushResourcesThroughAggregatedRoles() {
        List<HasMetadata> objects = render(Map.of());
        Map<String, ClusterRole> aggregated = aggregatedRoles(objects);

        assertEquals(Set.of(FULLNAME + "-view", FULLNAME + "-edit"), aggregated.keySet());
        ClusterRole view = aggregated.get(FULLNAME + "-view");
        ClusterRole edit = aggregated.get(FULLNAME + "-edit");
        assertEquals("true", view.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-view"));
        assertEquals(Set.of("rbac.authorization.k8s.io/aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-admin"),
                aggregationLabels(edit));
        assertEquals(Set.of("rbac.authorization.k8s.io/aggregate-to-view"), aggregationLabels(view));
        Set<String> read = Set.of("get", "list", "watch");
        Set<String> manage = Set.of("get", "list", "watch", "create", "update", "patch", "delete");
        assertEquals(Map.of("herald.io/pushclusters", read, "herald.io/pushapps", read, "herald.io/pushclusters/status", read,
                "herald.io/pushapps/status", read, "herald.io/pushclusters/scale", read), grants(view.getRules()));
        assertEquals(Map.of("herald.io/pushclusters", manage, "herald.io/pushapps", manage,
                "herald.io/pushclusters/scale", Set.of("get", "update", "patch")), grants(edit.getRules()),
                "the status stays the operator's to write");
        assertTrue(objects.stream().filter(object -> object instanceof ClusterRoleBinding || object instanceof RoleBinding)
                .map(binding -> binding instanceof ClusterRoleBinding cluster ? cluster.getRoleRef().getName()
                        : ((RoleBinding) binding).getRoleRef().getName())
                .noneMatch(aggregated::containsKey), "aggregation, not a binding, grants them");

        assertEquals(Map.of(), aggregatedRoles(render(Map.of("aggregatedRoles.enabled", "false"))), "the values flag turns them off");
    }

    @Test
    void theOperatorsNetworkPolicyIsOptInAndLetsItReachOnlyDnsAndTheApiServer() {
        assertTrue(render(Map.of()).stream().noneMatch(NetworkPolicy.class::isInstance), "off by default");

        List<HasMetadata> objects = render(Map.of("networkPolicy.enabled", "true", "networkPolicy.apiServerCidrs[0]", "172.18.0.2/32"));
        NetworkPolicy policy = only(objects, NetworkPolicy.class);
        Deployment deployment = only(objects, Deployment.class);

        assertEquals(RELEASE_NAMESPACE, policy.getMetadata().getNamespace());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        assertEquals(1, policy.getSpec().getIngress().size());
        assertEquals(List.of("TCP http"), ports(policy.getSpec().getIngress().get(0).getPorts()), "health and metrics only");
        assertEquals("http", deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getName());
        var egress = policy.getSpec().getEgress();
        assertEquals(2, egress.size());
        assertEquals(List.of("UDP 53", "TCP 53"), ports(egress.get(0).getPorts()));
        assertEquals(List.of("TCP 443", "TCP 6443"), ports(egress.get(1).getPorts()));
        assertEquals("172.18.0.2/32", egress.get(1).getTo().get(0).getIpBlock().getCidr());
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(port -> port.getProtocol() + " " + (port.getPort().getStrVal() != null
                ? port.getPort().getStrVal() : port.getPort().getIntVal())).toList();
    }

    @Test
    void imagesAndPlacementFollowValues() {
        Deployment deployment = only(render(Map.ofEntries(
                entry("image.repository", "registry.example/herald-operator"),
                entry("image.tag", "1.2.3"),
                entry("image.pullPolicy", "Always"),
                entry("imagePullSecrets[0].name", "registry-pull"),
                entry("gatewayImage.repository", "registry.example/herald-gateway"),
                entry("gatewayImage.tag", "2.0.0"),
                entry("routerImage.tag", "3.0.0"),
                entry("nodeSelector.pool", "system"),
                entry("tolerations[0].key", "dedicated"),
                entry("tolerations[0].operator", "Exists"),
                entry("priorityClassName", "system-cluster-critical"),
                entry("extraEnv[0].name", "QUARKUS_LOG_LEVEL"),
                entry("extraEnv[0].value", "DEBUG"))), Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> env = env(container);

        assertEquals("registry.example/herald-operator:1.2.3", container.getImage());
        assertEquals("Always", container.getImagePullPolicy());
        assertEquals("registry-pull", pod.getImagePullSecrets().get(0).getName());
        assertEquals("registry.example/herald-gateway:2.0.0", env.get("HERALD_OPERATOR_GATEWAY_IMAGE"));
        assertEquals("ghcr.io/herald-io/herald-router:3.0.0", env.get("HERALD_OPERATOR_ROUTER_IMAGE"));
        assertEquals("DEBUG", env.get("QUARKUS_LOG_LEVEL"));
        assertEquals(Map.of("pool", "system"), pod.getNodeSelector());
        assertEquals("dedicated", pod.getTolerations().get(0).getKey());
        assertEquals("system-cluster-critical", pod.getPriorityClassName());
        assertNull(pod.getAffinity());
    }

    /** Fabric8 refuses fields the model lacks, so a misspelt field in an example fails here too. */
    @Test
    void examplesAreResourcesTheOperatorReads() throws IOException {
        Secret redis = example("redis-secret.yaml", Secret.class);
        PushCluster cluster = example("push-cluster.yaml", PushCluster.class);
        Secret appSecret = example("app-secret.yaml", Secret.class);
        PushApp app = example("push-app.yaml", PushApp.class);

        assertEquals("herald.io/v1alpha1", cluster.getApiVersion());
        assertEquals("herald", cluster.getMetadata().getName());
        assertEquals(redis.getMetadata().getName(), cluster.getSpec().redis.addressSecret.name);
        assertEquals("herald-redis", cluster.getSpec().redis.addressSecret.name);
        assertEquals("address", cluster.getSpec().redis.addressSecret.key);
        assertEquals("redis-master.redis:6379", redis.getStringData().get(cluster.getSpec().redis.addressSecret.key));
        assertEquals(2, cluster.getSpec().gateway.minReplicas);
        assertEquals(10, cluster.getSpec().gateway.maxReplicas);
        assertEquals(10000, cluster.getSpec().gateway.targetConnectionsPerPod);
        assertEquals(300, cluster.getSpec().gateway.scaleDownStabilizationSeconds);
        assertEquals(30, cluster.getSpec().gateway.drainSeconds);
        assertEquals(2, cluster.getSpec().router.replicas);
        assertEquals(64, cluster.getSpec().router.shards);
        assertEquals("push.example.com", cluster.getSpec().ingress.host);
        assertEquals("nginx", cluster.getSpec().ingress.className);
        assertEquals("push-example-com-tls", cluster.getSpec().ingress.tlsSecret);

        assertEquals("herald.io/v1alpha1", app.getApiVersion());
        assertEquals("chat", app.getMetadata().getName());
        assertEquals(cluster.getMetadata().getName(), app.getSpec().cluster);
        assertEquals("1001", app.getSpec().appId);
        assertEquals("chat-key", app.getSpec().key);
        assertEquals("chat-app", app.getSpec().secretRef.name);
        assertEquals(appSecret.getMetadata().getName(), app.getSpec().secretRef.name);
        assertEquals("secret", app.getSpec().secretRef.key);
        assertNotNull(appSecret.getStringData().get(app.getSpec().secretRef.key));
        assertTrue(app.getSpec().features.clientEvents);
        assertFalse(app.getSpec().features.userAuthentication);
        assertEquals(0, app.getSpec().limits.maxConnections);
        assertEquals(0, app.getSpec().limits.maxChannelsPerConnection);
        assertEquals(0, app.getSpec().limits.subscribesPerSecond);
        assertEquals(86_400, app.getSpec().offline.retentionSeconds);
        assertEquals(1000, app.getSpec().offline.maxEvents);
    }

    private static List<HasMetadata> render(Map<String, String> values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(RELEASE_NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        values.forEach(template::set);
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(template.call().getBytes(UTF_8)));
        if (parsed instanceof List<?> documents) {
            return documents.stream().map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) parsed);
    }

    private static <T> T example(String file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(CHART.resolve("examples").resolve(file))) {
            return SERIALIZATION.unmarshal(in, type);
        }
    }

    private static String appVersion() {
        try (InputStream in = Files.newInputStream(CHART.resolve("Chart.yaml"))) {
            return (String) SERIALIZATION.unmarshal(in, Map.class).get("appVersion");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> kinds(List<HasMetadata> objects) {
        return objects.stream().collect(groupingBy(HasMetadata::getKind, counting()));
    }

    private static GenericKubernetesResource generic(List<HasMetadata> objects, String kind) {
        List<HasMetadata> matching = objects.stream().filter(object -> object.getKind().equals(kind)).toList();
        assertEquals(1, matching.size(), kind);
        return (GenericKubernetesResource) matching.get(0);
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matching.size(), type.getSimpleName());
        return matching.get(0);
    }

    /** The ClusterRoles the operator holds, by name, as grants: all but the aggregated ones. */
    private static Map<String, Map<String, Set<String>>> operatorClusterRoles(List<HasMetadata> objects) {
        return byName(objects, ClusterRole.class).entrySet().stream().filter(role -> aggregationLabels(role.getValue()).isEmpty())
                .collect(toMap(Map.Entry::getKey, role -> grants(role.getValue().getRules())));
    }

    private static Map<String, ClusterRole> aggregatedRoles(List<HasMetadata> objects) {
        return byName(objects, ClusterRole.class).entrySet().stream().filter(role -> !aggregationLabels(role.getValue()).isEmpty())
                .collect(toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Set<String> aggregationLabels(ClusterRole role) {
        return role.getMetadata().getLabels().keySet().stream().filter(label -> label.startsWith("rbac.authorization.k8s.io/aggregate-to-"))
                .collect(Collectors.toSet());
    }

    /** The Roles or RoleBindings for the watched namespaces, not the one for leader election. */
    private static List<HasMetadata> watchedNamespaceRules(List<HasMetadata> objects, Class<? extends HasMetadata> type) {
        return objects.stream().filter(type::isInstance).filter(object -> object.getMetadata().getName().equals(FULLNAME))
                .toList();
    }

    private static <T extends HasMetadata> Map<String, T> byName(List<HasMetadata> objects, Class<T> type) {
        return keyed(objects, type, object -> object.getMetadata().getName());
    }

    private static <T extends HasMetadata> Map<String, T> byNamespace(List<HasMetadata> objects, Class<T> type) {
        return keyed(objects, type, object -> object.getMetadata().getNamespace());
    }

    private static <T extends HasMetadata> Map<String, T> keyed(List<HasMetadata> objects, Class<T> type,
            Function<T, String> key) {
        return objects.stream().filter(type::isInstance).map(type::cast).collect(toMap(key, Function.identity()));
    }

    /** Rules as group/resource to verbs, so that how the chart groups its rules does not matter. */
    private static Map<String, Set<String>> grants(List<PolicyRule> rules) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    grants.computeIfAbsent((group.isEmpty() ? "core" : group) + "/" + resource, k -> new TreeSet<>())
                            .addAll(rule.getVerbs());
                }
            }
        }
        return grants;
    }

    private static void assertOperatorAccount(List<Subject> subjects) {
        assertEquals(1, subjects.size());
        assertEquals("ServiceAccount", subjects.get(0).getKind());
        assertEquals(FULLNAME, subjects.get(0).getName());
        assertEquals(RELEASE_NAMESPACE, subjects.get(0).getNamespace());
    }

    private static void assertHttpProbe(String path, Probe probe) {
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("http", probe.getHttpGet().getPort().getStrVal());
    }

    private static Map<String, String> env(Deployment deployment) {
        return env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, var -> var.getValue() == null ? "" : var.getValue()));
    }
}
