package io.herald.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.herald.contract.AppsSecret;
import io.herald.contract.PodSettings;
import io.herald.operator.TestClusters;
import io.herald.operator.apps.PublishedApp;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.ImagesSpec;
import io.herald.operator.crd.v1alpha1.spec.IngressSpec;
import io.herald.operator.crd.v1alpha1.spec.MongoSpec;
import io.herald.operator.crd.v1alpha1.spec.NetworkPolicySpec;
import io.herald.operator.crd.v1alpha1.spec.PublishDurability;
import io.herald.operator.crd.v1alpha1.spec.SchedulingSpec;
import io.herald.operator.crd.v1alpha1.spec.ServiceSpec;

class ClusterPlanTest {

    private static final ClusterNames NAMES = new ClusterNames("push", "team");
    private static final Images DEFAULT_IMAGES = Images.resolve(null, "herald/gateway:1", "herald/router:1");

    @Test
    void gatewaysGetTheChosenReplicasAndEverythingTheyNeedToDrain() {
        PushClusterSpec spec = spec();
        spec.gateway.drainSeconds = 120;
        spec.gateway.maxConnectionsPerPod = 15000;
        Deployment gateways = ClusterPlan.of(NAMES, spec, 7, DEFAULT_IMAGES, List.of(), "digest").gatewayDeployment();

        assertEquals(7, gateways.getSpec().getReplicas());
        assertEquals(0, gateways.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        Container container = gateways.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("herald/gateway:1", container.getImage());
        assertEquals(List.of("sleep", "5"), container.getLifecycle().getPreStop().getExec().getCommand());
        assertEquals(140L, gateways.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertEquals("120s", env(container).get("HERALD_DRAIN_PERIOD").getValue());
        assertEquals("15000", env(container).get("HERALD_GATEWAY_MAX_CONNECTIONS").getValue());
        assertEquals(new Quantity("1Gi"), container.getResources().getLimits().get("memory"));
        assertEquals("kubernetes.io/hostname",
                gateways.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().get(0).getTopologyKey());
        assertEquals(NAMES.selector(Component.GATEWAY), gateways.getSpec().getSelector().getMatchLabels());
        assertFalse(gateways.getSpec().getTemplate().getSpec().getEnableServiceLinks(),
                "no HERALD_GATEWAY_PORT and the like from the namespace's Services");
        assertEquals("digest", gateways.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(PodTemplates.SECRETS_DIGEST_ANNOTATION), "a changed Secret value rolls the pods");
        assertTrue(gateways.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(NAMES.selector(Component.GATEWAY).entrySet()), "pods match their selector");
    }

    @Test
    void overridesReachThePods() {
        PushClusterSpec spec = spec();
        spec.images = new ImagesSpec();
        spec.images.gateway = "registry.local/gateway:dev";
        spec.images.pullPolicy = ImagesSpec.PullPolicy.Always;
        spec.images.pullSecrets = List.of(new LocalObjectReference("regcred"));
        spec.gateway.resources = new ResourceRequirementsBuilder().withRequests(Map.of("cpu", new Quantity("2"))).build();
        spec.gateway.scheduling = new SchedulingSpec();
        spec.gateway.scheduling.tolerations = List.of(new TolerationBuilder().withKey("push").withOperator("Exists").build());
        spec.gateway.scheduling.topologySpreadConstraints = List.of();
        spec.redis.passwordSecret = new SecretKeyRef("redis-auth", "password");
        spec.mongodb = new MongoSpec();
        spec.mongodb.uriSecret = new SecretKeyRef("mongo", "uri");
        Images images = Images.resolve(spec.images, "herald/gateway:1", "herald/router:1");
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, images, List.of(), "digest");

        var pod = plan.gatewayDeployment().getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);
        assertEquals("registry.local/gateway:dev", gateway.getImage());
        assertEquals("Always", gateway.getImagePullPolicy());
        assertEquals("regcred", pod.getImagePullSecrets().get(0).getName());
        assertEquals(new Quantity("2"), gateway.getResources().getRequests().get("cpu"));
        assertEquals("push", pod.getTolerations().get(0).getKey());
        assertEquals(List.of(), pod.getTopologySpreadConstraints(), "an explicit empty list turns the default spread off");
        assertEquals("redis-auth", env(gateway).get("HERALD_REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertEquals("uri", env(gateway).get(PodSettings.env(PodSettings.MONGODB_URI)).getValueFrom().getSecretKeyRef().getKey(),
                "gateways read history from the archive");

        Container router = plan.routerDeployment().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("herald/router:1", router.getImage());
        assertEquals("mongo", env(router).get("HERALD_MONGODB_URI").getValueFrom().getSecretKeyRef().getName());
        assertFalse(env(ClusterPlan.of(NAMES, spec(), 2, images, List.of(), "digest").routerDeployment().getSpec().getTemplate()
                .getSpec().getContainers().get(0)).containsKey("HERALD_MONGODB_URI"), "without spec.mongodb there is no archive");
    }

    @Test
    void aRedisClusterReachesGatewaysAndRoutersAndOneRedisSaysNothing() {
        PushClusterSpec spec = spec();
        spec.redis.cluster = true;
        Images images = Images.resolve(spec.images, "herald/gateway:1", "herald/router:1");
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, images, List.of(), "digest");
        for (var deployment : List.of(plan.gatewayDeployment(), plan.routerDeployment())) {
            assertEquals("true", env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0))
                    .get(PodSettings.env(PodSettings.REDIS_CLUSTER)).getValue());
        }
        assertFalse(env(ClusterPlan.of(NAMES, spec(), 2, images, List.of(), "digest").gatewayDeployment().getSpec().getTemplate()
                .getSpec().getContainers().get(0)).containsKey(PodSettings.env(PodSettings.REDIS_CLUSTER)));
    }

    @Test
    void theIngressMergesUserAnnotationsOverWebSocketDefaults() {
        PushClusterSpec spec = spec();
        spec.ingress = new IngressSpec();
        spec.ingress.host = "push.example.com";
        spec.ingress.className = "push-nginx";
        spec.ingress.annotations = Map.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "7200", "team", "chat");
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");

        var ingress = plan.ingress().orElseThrow();
        assertEquals("7200", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
        assertEquals("3600", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-send-timeout"));
        assertEquals("chat", ingress.getMetadata().getAnnotations().get("team"));
        assertEquals("push-nginx", ingress.getSpec().getIngressClassName());
        assertEquals(List.of(), ingress.getSpec().getTls());
        assertEquals("ws://push.example.com", plan.endpoint());
        assertEquals(ClusterPlan.of(NAMES, spec, 9, DEFAULT_IMAGES, List.of(), "digest").ingress(), plan.ingress(),
                "scaling never edits the Ingress");
    }

    /** The WebSocket is /app/{key}, the REST API /apps/{id}/..., the HTTP transports /pusher/app/{key}/...; /q/health and the rest stay inside the cluster. */
    @Test
    void theIngressRoutesOnlyThePusherPathsToTheGateways() {
        PushClusterSpec spec = spec();
        spec.ingress = new IngressSpec();
        spec.ingress.host = "push.example.com";

        var rule = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest").ingress().orElseThrow().getSpec()
                .getRules().get(0);
        assertEquals("push.example.com", rule.getHost());
        assertEquals(List.of("/app/", "/apps/", "/pusher/"), rule.getHttp().getPaths().stream().map(path -> path.getPath()).toList());
        rule.getHttp().getPaths().forEach(path -> {
            assertEquals("Prefix", path.getPathType());
            assertEquals(NAMES.gateway(), path.getBackend().getService().getName());
            assertEquals("http", path.getBackend().getService().getPort().getName());
        });
    }

    @Test
    void theWebConsoleIsOffUnlessAskedForAndThenServedAndRoutedToo() {
        PushClusterSpec spec = spec();
        spec.ingress = new IngressSpec();
        spec.ingress.host = "push.example.com";
        ClusterPlan off = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");
        assertFalse(env(gatewayContainer(off)).containsKey("HERALD_CONSOLE_ENABLED"), "no console by default");

        spec.gateway.console = true;
        ClusterPlan on = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");
        assertEquals("true", env(gatewayContainer(on)).get("HERALD_CONSOLE_ENABLED").getValue());
        assertEquals(List.of("/app/", "/apps/", "/pusher/", "/console"), on.ingress().orElseThrow().getSpec().getRules().get(0).getHttp()
                .getPaths().stream().map(path -> path.getPath()).toList());
        Container router = on.routerDeployment().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertFalse(env(router).containsKey("HERALD_CONSOLE_ENABLED"), "routers serve no page");
    }

    @Test
    void theGatewayServiceAndThePodsTakeTheSpecsTypeAndAnnotations() {
        PushClusterSpec spec = spec();
        spec.gateway.service = new ServiceSpec();
        spec.gateway.service.type = ServiceSpec.Type.LoadBalancer;
        spec.gateway.service.annotations = Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
        spec.gateway.podAnnotations = Map.of("prometheus.io/scrape", "true", PodTemplates.SECRETS_DIGEST_ANNOTATION, "mine");
        spec.router.podAnnotations = Map.of("linkerd.io/inject", "enabled");
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");

        assertEquals("LoadBalancer", plan.gatewayService().getSpec().getType());
        assertEquals("nlb", plan.gatewayService().getMetadata().getAnnotations()
                .get("service.beta.kubernetes.io/aws-load-balancer-type"));
        assertEquals(Map.of("prometheus.io/scrape", "true", PodTemplates.SECRETS_DIGEST_ANNOTATION, "digest"),
                plan.gatewayDeployment().getSpec().getTemplate().getMetadata().getAnnotations(),
                "the operator's digest wins, or Secret changes would not roll the pods");
        assertEquals("enabled", plan.routerDeployment().getSpec().getTemplate().getMetadata().getAnnotations()
                .get("linkerd.io/inject"));
        assertEquals("ClusterIP", ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest").gatewayService()
                .getSpec().getType(), "by default");
    }

    @Test
    void withoutANetworkPolicySectionTheOperatorCreatesNone() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest");
        assertTrue(plan.gatewayNetworkPolicy().isEmpty());
        assertTrue(plan.routerNetworkPolicy().isEmpty());
    }

    @Test
    void gatewaysAcceptOnlyTheirHttpPortFromTheListedNamespacesAndReachOnlyDnsAndTheirServices() {
        PushClusterSpec spec = spec();
        spec.networkPolicy = new NetworkPolicySpec();
        spec.networkPolicy.ingressFromNamespaces = List.of("ingress-nginx", "chat");
        spec.networkPolicy.egressCidrs = List.of("10.0.0.0/8");
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");
        NetworkPolicy policy = plan.gatewayNetworkPolicy().orElseThrow();
        Container gateway = plan.gatewayDeployment().getSpec().getTemplate().getSpec().getContainers().get(0);

        assertEquals(plan.gatewayDeployment().getSpec().getSelector().getMatchLabels(),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        assertEquals(1, policy.getSpec().getIngress().size());
        var ingress = policy.getSpec().getIngress().get(0);
        assertEquals(List.of("TCP " + gateway.getPorts().get(0).getContainerPort()), ports(ingress.getPorts()),
                "the WebSocket and REST port, nothing else");
        assertEquals(List.of(Map.of("kubernetes.io/metadata.name", "ingress-nginx"), Map.of("kubernetes.io/metadata.name", "chat")),
                ingress.getFrom().stream().map(peer -> peer.getNamespaceSelector().getMatchLabels()).toList());

        List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
        assertEquals(List.of("UDP 53", "TCP 53"), ports(egress.get(0).getPorts()));
        assertEquals(List.of(), egress.get(0).getTo(), "DNS wherever the cluster runs it");
        assertEquals(List.of("TCP 443", "TCP 6379", "TCP 6443", "TCP 27017"), ports(egress.get(1).getPorts()),
                "the API server, Redis and MongoDB by default");
        assertEquals(List.of("10.0.0.0/8"), egress.get(1).getTo().stream().map(peer -> peer.getIpBlock().getCidr()).toList());
    }

    @Test
    void routersAcceptNoTrafficAndReachTheListedPorts() {
        PushClusterSpec spec = spec();
        spec.networkPolicy = new NetworkPolicySpec();
        spec.networkPolicy.egressPorts = List.of(443, 6380);
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");
        NetworkPolicy policy = plan.routerNetworkPolicy().orElseThrow();

        assertEquals("push-router", policy.getMetadata().getName());
        assertEquals(plan.routerDeployment().getSpec().getSelector().getMatchLabels(),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"), "an Ingress policy without rules admits nothing");
        assertEquals(List.of(), policy.getSpec().getIngress());
        assertEquals(List.of("TCP 443", "TCP 6380"), ports(policy.getSpec().getEgress().get(1).getPorts()));
        assertEquals(List.of(), policy.getSpec().getEgress().get(1).getTo(), "any address without egressCidrs");
        assertEquals(List.of(), plan.gatewayNetworkPolicy().orElseThrow().getSpec().getIngress().get(0).getFrom(),
                "gateways accept any source without ingressFromNamespaces");
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(port -> port.getProtocol() + " " + port.getPort().getIntVal()).toList();
    }

    @Test
    void withoutAnIngressClientsUseTheServiceAddress() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest");
        assertTrue(plan.ingress().isEmpty());
        assertEquals("ws://push-gateway.team.svc:80", plan.endpoint());
    }

    @Test
    void theAppsSecretHoldsTheJsonTheGatewayParses() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES,
                List.of(new PublishedApp("1001", "chat-key", "s3cret", true, false, 500, 64, 5,
                        List.of(new PublishedApp.History("", 0, 0), new PublishedApp.History("chat-", 500, 600)),
                        List.of(new PublishedApp.Archive("chat-", 2_592_000)), new PublishedApp.Offline(3600, 50))), "digest");
        String json = new String(Base64.getDecoder().decode(plan.appsSecret().getData().get(AppsSecret.KEY)),
                StandardCharsets.UTF_8);
        assertEquals("[{\"id\":\"1001\",\"key\":\"chat-key\",\"secret\":\"s3cret\",\"clientEvents\":true,"
                + "\"userAuthentication\":false,\"maxConnections\":500,\"maxChannelsPerConnection\":64,\"subscribesPerSecond\":5,"
                + "\"history\":[{\"prefix\":\"\",\"size\":0,\"ttlSeconds\":0},{\"prefix\":\"chat-\",\"size\":500,\"ttlSeconds\":600}],"
                + "\"archive\":[{\"prefix\":\"chat-\",\"retentionSeconds\":2592000}],"
                + "\"offline\":{\"retentionSeconds\":3600,\"maxEvents\":50}}]", json);
        assertEquals("push-apps", plan.appsSecret().getMetadata().getName());
    }

    @Test
    void webhooksTravelInTheAppsSecretAsGatewaysParseThem() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES,
                List.of(new PublishedApp("1001", "chat-key", "s3cret", false, false, 0, 0, 0, List.of(), List.of(), null,
                        List.of(new PublishedApp.Webhook("https://hooks.example.com/pusher", List.of("member_added"), "presence-"),
                                new PublishedApp.Webhook("http://10.0.0.1:8080/all", List.of(), "")))), "digest");
        String json = new String(Base64.getDecoder().decode(plan.appsSecret().getData().get(AppsSecret.KEY)),
                StandardCharsets.UTF_8);
        assertEquals("[{\"id\":\"1001\",\"key\":\"chat-key\",\"secret\":\"s3cret\",\"clientEvents\":false,"
                + "\"userAuthentication\":false,\"maxConnections\":0,\"maxChannelsPerConnection\":0,\"subscribesPerSecond\":0,"
                + "\"history\":[],\"archive\":[],\"webhooks\":[{\"url\":\"https://hooks.example.com/pusher\","
                + "\"eventTypes\":[\"member_added\"],\"channelPrefix\":\"presence-\"},{\"url\":\"http://10.0.0.1:8080/all\","
                + "\"eventTypes\":[],\"channelPrefix\":\"\"}]}]", json);
    }

    @Test
    void anAppWithoutAnOfflineRuleLeavesItOutSoGatewaysKeepTheirDefault() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES,
                List.of(new PublishedApp("1001", "chat-key", "s3cret", false, false, 0, 0, 0)), "digest");
        String json = new String(Base64.getDecoder().decode(plan.appsSecret().getData().get(AppsSecret.KEY)),
                StandardCharsets.UTF_8);
        assertEquals("[{\"id\":\"1001\",\"key\":\"chat-key\",\"secret\":\"s3cret\",\"clientEvents\":false,"
                + "\"userAuthentication\":false,\"maxConnections\":0,\"maxChannelsPerConnection\":0,\"subscribesPerSecond\":0,"
                + "\"history\":[],\"archive\":[]}]", json);
    }

    @Test
    void everyPodKnowsItsClustersNamespaceSoItsRedisKeysAreTheClustersOwn() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest");
        for (Deployment deployment : List.of(plan.gatewayDeployment(), plan.routerDeployment())) {
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("team", env(container).get("HERALD_CLUSTER_NAMESPACE").getValue(), deployment.getMetadata().getName());
        }
    }

    @Test
    void publishDurabilityAndThePerAddressLimitReachTheGatewaysOnly() {
        Container byDefault = gatewayContainer(ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest"));
        assertEquals("immediate", env(byDefault).get("HERALD_PUBLISH_DURABILITY").getValue());
        assertEquals("0", env(byDefault).get("HERALD_LIMITS_CONNECTIONS_PER_ADDRESS").getValue());

        PushClusterSpec spec = spec();
        spec.publish.durability = PublishDurability.Replicated;
        spec.gateway.maxConnectionsPerAddress = 20;
        ClusterPlan plan = ClusterPlan.of(NAMES, spec, 2, DEFAULT_IMAGES, List.of(), "digest");
        assertEquals("replicated", env(gatewayContainer(plan)).get("HERALD_PUBLISH_DURABILITY").getValue());
        assertEquals("20", env(gatewayContainer(plan)).get("HERALD_LIMITS_CONNECTIONS_PER_ADDRESS").getValue());
        Container router = plan.routerDeployment().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertFalse(env(router).containsKey("HERALD_PUBLISH_DURABILITY"), "routers do not answer publishes");
        assertFalse(env(router).containsKey("HERALD_LIMITS_CONNECTIONS_PER_ADDRESS"), "routers hold no connections");
    }

    @Test
    void aWedgedPodIsRestartedWithinAMinuteButNeverWhileItStarts() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest");
        for (Deployment deployment : List.of(plan.gatewayDeployment(), plan.routerDeployment())) {
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            Probe liveness = container.getLivenessProbe();
            assertEquals("/q/health/live", liveness.getHttpGet().getPath());
            // Kubernetes restarts after failureThreshold failed checks, periodSeconds apart, each
            // taking at most timeoutSeconds: a hung process is restarted within this bound.
            int restartWithin = liveness.getPeriodSeconds() * liveness.getFailureThreshold() + liveness.getTimeoutSeconds();
            assertTrue(restartWithin >= 30 && restartWithin <= 60, "restarted within " + restartWithin + " s");
            // Liveness is checked only after the startup probe succeeded, which allows a slow start.
            Probe startup = container.getStartupProbe();
            assertEquals("/q/health/started", startup.getHttpGet().getPath());
            assertTrue(startup.getPeriodSeconds() * startup.getFailureThreshold() >= 60, "a start may take a minute");
        }
    }

    @Test
    void gatewaysAndRoutersHaveAnAccountEachAllowedOnlyTheCallsTheirCodeMakes() {
        ClusterPlan plan = ClusterPlan.of(NAMES, spec(), 2, DEFAULT_IMAGES, List.of(), "digest");
        // OwnLease reads, creates and updates the pod's own Lease; PeerView lists and watches the
        // cluster's Leases by label. Neither deletes or patches.
        PolicyRule ownLease = rule("coordination.k8s.io", "leases", List.of(), "create", "get", "update");
        PolicyRule peerLeases = rule("coordination.k8s.io", "leases", List.of(), "list", "watch");
        // SecretApps informs on the one apps Secret: a list and a watch with a metadata.name field
        // selector, which resourceNames can authorize.
        PolicyRule appsSecret = rule("", "secrets", List.of("push-apps"), "list", "watch");

        assertAccess(plan.gatewayAccess(), "push-gateway", List.of(ownLease, peerLeases, appsSecret));
        assertAccess(plan.routerAccess(), "push-router", List.of(ownLease, peerLeases));
        assertEquals("push-gateway", plan.gatewayDeployment().getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("push-router", plan.routerDeployment().getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    private static void assertAccess(PodAccess access, String name, List<PolicyRule> rules) {
        assertEquals(name, access.serviceAccount().getMetadata().getName());
        assertEquals(name, access.role().getMetadata().getName());
        assertEquals(rules, access.role().getRules());
        assertEquals(name, access.roleBinding().getRoleRef().getName());
        assertEquals(List.of(new SubjectBuilder().withKind("ServiceAccount").withName(name).withNamespace("team").build()),
                access.roleBinding().getSubjects());
    }

    private static PolicyRule rule(String apiGroup, String resource, List<String> resourceNames, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(apiGroup).withResources(resource).withResourceNames(resourceNames)
                .withVerbs(verbs).build();
    }

    private static Container gatewayContainer(ClusterPlan plan) {
        return plan.gatewayDeployment().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static PushClusterSpec spec() {
        return TestClusters.cluster("team", "push").getSpec();
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }
}
