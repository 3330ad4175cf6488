package dev.baton.scheduler;

import dev.baton.common.security.AdminRoute;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** Deleting a job, and its history with it, is an operator's act. */
@Configuration(proxyBeanMethods = false)
class SchedulerAccess {

    @Bean
    AdminRoute deleteJob() {
        return new AdminRoute(HttpMethod.DELETE, "/api/v1/jobs/*");
    }
}
