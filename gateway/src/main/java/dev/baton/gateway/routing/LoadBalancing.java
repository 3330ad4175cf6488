package dev.baton.gateway.routing;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Configuration;

/** Applies {@link ConsistentHashConfiguration} to every service the gateway balances. */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = ConsistentHashConfiguration.class)
class LoadBalancing {}
