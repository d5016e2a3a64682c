package io.herald.operator.crd.v1alpha1.spec;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressSpec {

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    @JsonPropertyDescription("Host name clients and backends use, for example push.example.com.")
    public String host;

    @JsonPropertyDescription("IngressClass to use; the cluster's default class when empty. A class of its own keeps "
            + "other teams' Ingress changes from reloading the proxy that holds the WebSockets.")
    public String className;

    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Secret of type kubernetes.io/tls for the host; clients then connect with wss://.")
    public String tlsSecret;

    @JsonPropertyDescription("Extra annotations for the Ingress, merged over the operator's WebSocket-safe defaults "
            + "(one-hour proxy read and send timeouts for ingress-nginx).")
    public Map<String, String> annotations;
}
