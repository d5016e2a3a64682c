package io.herald.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the committed CRDs refuse what the operator cannot run, with the message a
 * user sees from kubectl, and accept the chart's examples. Evaluated by {@link CrdAdmission} as an
 * API server would, defaults included.
 */
class CrdValidationRulesTest {

    private static final Path EXAMPLES = Path.of("../helm/herald-operator/examples");

    @Test
    void everyRuleCompiles() throws IOException {
        for (String crd : List.of("pushclusters.herald.io-v1.yml", "pushapps.herald.io-v1.yml")) {
            CrdAdmission admission = CrdAdmission.of(crd);
            assertTrue(admission.rules().size() >= 1, crd + " has rules");
            assertEquals(List.of(), admission.compileErrors(), crd);
        }
    }

    @Test
    void theChartsExamplesPassEveryRule() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        Map<String, Object> cluster = CrdAdmission.readYaml(EXAMPLES.resolve("push-cluster.yaml"));
        assertEquals(List.of(), clusters.create(cluster));
        assertEquals(List.of(), clusters.update(cluster, cluster));

        CrdAdmission apps = CrdAdmission.of("pushapps.herald.io-v1.yml");
        Map<String, Object> app = CrdAdmission.readYaml(EXAMPLES.resolve("push-app.yaml"));
        assertEquals(List.of(), apps.create(app));
        assertEquals(List.of(), apps.update(app, app));
    }

    @Test
    void aMinimalClusterIsCompletedByDefaultsThatPassTheRules() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        Map<String, Object> minimal = cluster("herald", "gateway: {}\n  router: {}");
        assertEquals(List.of(), clusters.create(minimal));
        Map<String, Object> gateway = spec(clusters.withDefaults(minimal), "gateway");
        assertEquals(2L, gateway.get("minReplicas"));
        assertEquals(20L, gateway.get("maxReplicas"));
        assertEquals("Connections", gateway.get("scaling"));
        assertEquals(0L, gateway.get("maxConnectionsPerAddress"), "no per-address limit");
        assertEquals("Immediate", spec(clusters.withDefaults(cluster("herald", "publish: {}")), "publish").get("durability"));
        assertEquals(64L, spec(clusters.withDefaults(minimal), "router").get("shards"));
    }

    @Test
    void gatewayBoundsAreCheckedAtAdmission() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        assertEquals(List.of("gateway.minReplicas must not exceed gateway.maxReplicas"),
                clusters.create(cluster("herald", "gateway: {minReplicas: 8, maxReplicas: 4}")));
        assertEquals(List.of("gateway.minReplicas must not exceed gateway.maxReplicas"),
                clusters.create(cluster("herald", "gateway: {maxReplicas: 1}")), "the default minimum is 2");
        assertEquals(List.of("gateway.replicas must lie between gateway.minReplicas and gateway.maxReplicas"),
                clusters.create(cluster("herald", "gateway: {scaling: External, replicas: 30}")));
        assertEquals(List.of(), clusters.create(cluster("herald", "gateway: {scaling: External, replicas: 3}")));
        assertEquals(List.of("gateway.maxConnectionsPerPod must be at least gateway.targetConnectionsPerPod"),
                clusters.create(cluster("herald", "gateway: {targetConnectionsPerPod: 5000, maxConnectionsPerPod: 4000}")));
        assertEquals(List.of(), clusters.create(cluster("herald", "gateway: {maxConnectionsPerPod: 10000}")));
    }

    @Test
    void shardsAndAppIdsCannotChange() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        Map<String, Object> created = cluster("herald", "router: {shards: 64}");
        assertEquals(List.of("router.shards is immutable: channels would change shard and lose their single sequencer"),
                clusters.update(created, cluster("herald", "router: {shards: 128}")));
        assertEquals(List.of(), clusters.update(created, cluster("herald", "router: {shards: 64, replicas: 5}")));
        assertEquals(List.of(), clusters.update(cluster("herald", "router: {}"), created),
                "writing out the default is no change");

        CrdAdmission apps = CrdAdmission.of("pushapps.herald.io-v1.yml");
        assertEquals(List.of("appId is immutable: create another PushApp for a new id"),
                apps.update(app("1001"), app("1002")));
        assertEquals(List.of(), apps.update(app("1001"), app("1001")));
    }

    /** Without a stored value the transition rule would not run, and the operator would find the change later. */
    @Test
    void shardsCannotBeAddedLaterToAClusterCreatedWithoutARouterSection() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        Map<String, Object> stored = clusters.withDefaults(cluster("herald", ""));
        assertEquals(List.of("router.shards is immutable: channels would change shard and lose their single sequencer"),
                clusters.update(stored, cluster("herald", "router: {shards: 128}")));
        assertEquals(64L, spec(stored, "router").get("shards"), "the API server stores the section's defaults");
        assertEquals(2L, spec(stored, "gateway").get("minReplicas"));
        assertEquals("Immediate", spec(stored, "publish").get("durability"));

        assertEquals(List.of(), clusters.update(stored, cluster("herald", "router: {shards: 64, replicas: 3}")));
        assertEquals(List.of(), clusters.update(stored, cluster("herald", "gateway: {maxReplicas: 30}")),
                "a manifest that still leaves the section out changes nothing");
    }

    @Test
    void historyAndArchivePrefixesAreUniqueWithinTheirList() throws IOException {
        CrdAdmission apps = CrdAdmission.of("pushapps.herald.io-v1.yml");
        assertEquals(List.of("history prefixes must be unique: two rules for one prefix cannot both apply"),
                apps.create(app("1001", "history: [{prefix: chat-, size: 1, ttlSeconds: 1}, {prefix: chat-, size: 2, ttlSeconds: 2}]")));
        assertEquals(List.of("archive prefixes must be unique: two rules for one prefix cannot both apply"),
                apps.create(app("1001", "archive: [{prefix: '', retentionSeconds: 1}, {prefix: '', retentionSeconds: 2}]")));
        assertEquals(List.of(), apps.create(app("1001", "history: [{prefix: '', size: 0, ttlSeconds: 0}, "
                + "{prefix: chat-, size: 500, ttlSeconds: 600}]\n  archive: [{prefix: chat-, retentionSeconds: 60}]")));
    }

    @Test
    void webhookUrlsMustBeHttp() throws IOException {
        CrdAdmission apps = CrdAdmission.of("pushapps.herald.io-v1.yml");
        String badUrl = "url must be an absolute http:// or https:// URL of a host name or IPv4 address, without spaces";
        for (String url : List.of("ftp://example.com/hooks", "example.com/hooks", "http://", "http://user@example.com/",
                "https://example.com/a b")) {
            assertEquals(List.of(badUrl), apps.create(app("1001", "webhooks: [{url: '" + url + "'}]")), url);
        }
        assertEquals(List.of(), apps.create(app("1001", "webhooks: [{url: 'https://hooks.example.com:8443/pusher?app=chat', "
                + "eventTypes: [member_added, member_removed], channelPrefix: presence-}, {url: 'http://10.0.0.7/all'}]")));
    }

    @Test
    void clusterNamesMustFitTheServiceNamesDerivedFromThem() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        assertEquals(List.of(), clusters.create(cluster("a".repeat(47), "")));
        for (String name : List.of("a".repeat(48), "1herald", "herald-", "Herald")) {
            List<String> refused = clusters.create(cluster(name, ""));
            assertEquals(1, refused.size(), name + " " + refused);
            assertTrue(refused.get(0).startsWith("metadata.name must start with a letter"), refused.get(0));
        }
    }

    @Test
    void scrapeIntervalsBelowFiveSecondsAreRefused() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        for (String interval : List.of("500ms", "4s")) {
            assertEquals(List.of("monitoring.serviceMonitor.interval must be at least 5s: the pods' series change no faster"),
                    clusters.create(cluster("herald", "monitoring: {serviceMonitor: {enabled: true, interval: " + interval + "}}")),
                    interval);
        }
        for (String interval : List.of("5s", "1m30s")) {
            assertEquals(List.of(), clusters.create(cluster("herald",
                    "monitoring: {serviceMonitor: {enabled: true, interval: " + interval + "}}")), interval);
        }
        assertEquals(List.of(), clusters.create(cluster("herald", "monitoring: {serviceMonitor: {enabled: true}}")),
                "the default, 30s");
    }

    @Test
    void anHttpRouteNamesEachGatewayOnceOrEachOfItsListenersOnce() throws IOException {
        CrdAdmission clusters = CrdAdmission.of("pushclusters.herald.io-v1.yml");
        String refused = "httpRoute.parentRefs must name each Gateway once, or several of its listeners by distinct sectionNames";
        for (String parentRefs : List.of(
                "[{name: public}, {name: public}]",
                "[{name: public, namespace: infra}, {name: public, namespace: infra}]",
                "[{name: public, sectionName: https}, {name: public, sectionName: https}]",
                "[{name: public}, {name: public, sectionName: https}]",
                "[{name: public, namespace: infra}, {name: public, namespace: infra, sectionName: https}]")) {
            assertEquals(List.of(refused), clusters.create(cluster("herald", "httpRoute: {parentRefs: " + parentRefs + "}")),
                    parentRefs);
        }
        for (String parentRefs : List.of(
                "[{name: public}]",
                "[{name: public}, {name: public, namespace: infra}]",
                "[{name: public, namespace: infra}, {name: internal, namespace: infra}]",
                "[{name: public, sectionName: https}, {name: public, sectionName: wss}]",
                "[{name: public}, {name: public, namespace: infra, sectionName: https}]")) {
            assertEquals(List.of(), clusters.create(cluster("herald", "httpRoute: {parentRefs: " + parentRefs
                    + ", hostnames: [push.example.com]}")), parentRefs);
        }
    }

    /** A PushCluster with the given YAML lines added to its spec, indented by two spaces. */
    private static Map<String, Object> cluster(String name, String specLines) throws IOException {
        return CrdAdmission.parse("""
                apiVersion: herald.io/v1alpha1
                kind: PushCluster
                metadata: {name: %s}
                spec:
                  redis: {addressSecret: {name: redis, key: address}}
                  %s
                """.formatted(name, specLines));
    }

    private static Map<String, Object> app(String appId) throws IOException {
        return app(appId, "");
    }

    /** A PushApp with the given YAML lines added to its spec, indented by two spaces. */
    private static Map<String, Object> app(String appId, String specLines) throws IOException {
        return CrdAdmission.parse("""
                apiVersion: herald.io/v1alpha1
                kind: PushApp
                metadata: {name: chat}
                spec:
                  cluster: herald
                  appId: "%s"
                  key: chat-key
                  secretRef: {name: chat, key: secret}
                  %s
                """.formatted(appId, specLines));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> resource, String section) {
        return (Map<String, Object>) ((Map<String, Object>) resource.get("spec")).get(section);
    }
}
