package dev.baton.lock;

import dev.baton.common.security.AdminRoute;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Force-releasing every lease of a lock, semaphore or election is an operator's act. */
@Configuration(proxyBeanMethods = false)
class LockServiceAccess {

    @Bean
    AdminRoute forceReleaseLock() {
        return new AdminRoute(HttpMethod.DELETE, "/api/v1/locks/*");
    }

    @Bean
    AdminRoute forceReleaseSemaphore() {
        return new AdminRoute(HttpMethod.DELETE, "/api/v1/semaphores/*");
    }

    @Bean
    AdminRoute forceReleaseElection() {
        return new AdminRoute(HttpMethod.DELETE, "/api/v1/elections/*");
    }
}
