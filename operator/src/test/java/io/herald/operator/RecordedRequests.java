package io.herald.operator;

import java.util.ArrayList;
import java.util.List;
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
}
