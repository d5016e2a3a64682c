package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisSpec {

    @Required
    @JsonPropertyDescription("Secret key holding the Redis address as host:port (for example redis-master.redis:6379).")
    public SecretKeyRef addressSecret;

    @Default("false")
    @JsonPropertyDescription("Connect with TLS (rediss://).")
    public boolean tls;

    @JsonPropertyDescription("Secret key holding the Redis password, if Redis requires one.")
    public SecretKeyRef passwordSecret;

    @Default("false")
    @JsonPropertyDescription("The address is a Redis Cluster (or Valkey cluster): one seed node as host:port, or several "
            + "separated by commas. Herald spreads its shards over the primaries in slot groups. A Herald cluster's "
            + "keys stay where they were created: changing this moves no data.")
    public boolean cluster;
}
