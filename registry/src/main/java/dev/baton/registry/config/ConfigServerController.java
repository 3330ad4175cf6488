package dev.baton.registry.config;

import dev.baton.common.web.ResourceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Cloud Config Server's environment endpoint, answered from the config center, so that an
 * unmodified Spring Boot application with {@code spring-cloud-starter-config} and
 * {@code spring.config.import=configserver:<baton>/api/v1/config-server} loads its properties from
 * Baton. For application {@code app} and profiles {@code p1,p2} the property sources are the
 * namespaces {@code app-p2}, {@code application-p2}, {@code app-p1}, {@code application-p1},
 * {@code app} and {@code application}, first wins, as Config Server orders its files; empty
 * namespaces are left out. Labels are accepted and echoed: the config center has no branches.
 */
@RestController
@RequestMapping("/api/v1/config-server")
@Tag(name = "Config center")
class ConfigServerController {

    /** Comma-separated names, as Config Server takes them. */
    private static final String NAMES = "[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*";

    private static final String SHARED = "application";

    private final ConfigService config;

    ConfigServerController(ConfigService config) {
        this.config = config;
    }

    /** One property source: a namespace's keys and values. */
    record PropertySource(String name, Map<String, String> source) {}

    /** Config Server's {@code Environment}. */
    record Environment(
            String name,
            List<String> profiles,
            String label,
            String version,
            String state,
            List<PropertySource> propertySources) {}

    @GetMapping("/{application}/{profile}")
    @Operation(
            summary = "Spring Cloud Config Server compatible environment",
            description = "Namespaces {application}-{profile}, application-{profile}, {application} and "
                    + "application, most specific first.")
    Environment environment(
            @PathVariable @Size(max = 200) @Pattern(regexp = NAMES) String application,
            @PathVariable @Size(max = 200) @Pattern(regexp = NAMES) String profile) {
        return environment(application, profile, null);
    }

    @GetMapping("/{application}/{profile}/{label}")
    @Operation(
            summary = "Spring Cloud Config Server compatible environment, with a label",
            description = "The label is echoed: the config center has no branches.")
    Environment environment(
            @PathVariable @Size(max = 200) @Pattern(regexp = NAMES) String application,
            @PathVariable @Size(max = 200) @Pattern(regexp = NAMES) String profile,
            @PathVariable @Size(max = 200) @Pattern(regexp = ResourceName.NO_DOT_SEGMENTS + "[A-Za-z0-9._()/-]+")
                    String label) {
        List<String> applications = Arrays.asList(application.split(","));
        List<String> profiles = Arrays.asList(profile.split(","));
        List<String> namespaces = namespaces(applications, profiles);
        Map<String, Map<String, String>> byNamespace = new LinkedHashMap<>();
        namespaces.forEach(namespace -> byNamespace.put(namespace, new LinkedHashMap<>()));
        long version = 0;
        for (ConfigEntry entry : config.entries(namespaces)) {
            byNamespace.get(entry.namespace()).put(entry.key(), entry.value());
            version = Math.max(version, entry.modifyIndex());
        }
        List<PropertySource> sources = new ArrayList<>();
        byNamespace.forEach((namespace, source) -> {
            if (!source.isEmpty()) {
                sources.add(new PropertySource("baton:" + namespace, source));
            }
        });
        return new Environment(application, profiles, label, String.valueOf(version), null, sources);
    }

    /** The namespaces to read, first wins. */
    static List<String> namespaces(List<String> applications, List<String> profiles) {
        List<String> names = new ArrayList<>();
        List<String> owners = new ArrayList<>(applications);
        Collections.reverse(owners);
        owners.remove(SHARED);
        owners.add(SHARED);
        for (int p = profiles.size() - 1; p >= 0; p--) {
            for (String owner : owners) {
                addOnce(names, owner + "-" + profiles.get(p));
            }
        }
        owners.forEach(owner -> addOnce(names, owner));
        return names;
    }

    private static void addOnce(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }
}
