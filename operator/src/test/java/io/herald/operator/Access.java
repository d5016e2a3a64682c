package io.herald.operator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * What RBAC sees of a request the mock API server recorded: API group, resource, verb and, where it
 * can know it, the object's name. Tests hold the calls the code makes against the Roles that grant
 * them with it.
 */
public record Access(String apiGroup, String resource, String verb, String name) {

    /**
     * The API server's request attributes: {@code /api/v1/...} is the core group, {@code /apis/g/v/...}
     * group g; a GET of a collection is a list, or a watch with {@code watch=true}; for those, the
     * name is the one a {@code metadata.name} field selector names, as the API server resolves it.
     */
    public static Access of(RecordedRequest request) {
        String[] pathAndQuery = request.getPath().split("\\?", 2);
        List<String> segments = List.of(pathAndQuery[0].substring(1).split("/"));
        String group = segments.get(0).equals("api") ? "" : segments.get(1);
        List<String> rest = segments.subList(segments.get(0).equals("api") ? 2 : 3, segments.size());
        String resource = rest.get(2);
        Optional<String> name = rest.size() > 3 ? Optional.of(rest.get(3)) : Optional.empty();
        Map<String, String> query = new HashMap<>();
        if (pathAndQuery.length > 1) {
            for (String parameter : pathAndQuery[1].split("&")) {
                String[] pair = URLDecoder.decode(parameter, StandardCharsets.UTF_8).split("=", 2);
                query.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        String verb = switch (request.getMethod()) {
            case "GET" -> name.isPresent() ? "get" : "true".equals(query.get("watch")) ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isPresent() ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException(request.getRequestLine());
        };
        String fieldSelector = query.getOrDefault("fieldSelector", "");
        return new Access(group, resource, verb, name.orElse(fieldSelector.startsWith("metadata.name=")
                ? fieldSelector.substring("metadata.name=".length()) : null));
    }
}
