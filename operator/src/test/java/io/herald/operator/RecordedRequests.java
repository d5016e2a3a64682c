package io.herald.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/** The requests a test's mock API server received, to show which calls the operator did not make. */
public final class RecordedRequests {

    private RecordedRequests() {
    }

    /** Every request the API server received since the last call, taken off its queue. */
    public static List<RecordedRequest> since(KubernetesServer server) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest request = server.getKubernetesMockServer().takeRequest(0, TimeUnit.SECONDS); request != null;
                request = server.getKubernetesMockServer().takeRequest(0, TimeUnit.SECONDS)) {
            requests.add(request);
        }
        return requests;
    }

    /**
     * The calls since the last call under a path (an API group's objects in a namespace, say), as
     * RBAC sees them: {@code group/resource} to verbs, for holding against {@link io.herald.operator.OperatorAccess}.
     */
    public static Map<String, Set<String>> access(KubernetesServer server, String pathPrefix) throws InterruptedException {
        Map<String, Set<String>> calls = new TreeMap<>();
        for (RecordedRequest request : since(server)) {
            if (request.getPath().startsWith(pathPrefix)) {
                Access access = Access.of(request);
                calls.computeIfAbsent(access.apiGroup() + "/" + access.resource(), key -> new TreeSet<>()).add(access.verb());
            }
        }
        return calls;
    }
}
