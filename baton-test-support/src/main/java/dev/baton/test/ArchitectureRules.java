package dev.baton.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The structure every module keeps, as ArchUnit rules that each module's {@code ArchitectureTest}
 * applies to its own code.
 */
public final class ArchitectureRules {

    /** The root package of each service. */
    private static final List<String> SERVICES =
            List.of("dev.baton.registry", "dev.baton.lock", "dev.baton.scheduler", "dev.baton.gateway");

    private ArchitectureRules() {}

    /** No two packages below {@code dev.baton} depend on each other, directly or round a longer cycle. */
    public static ArchRule noPackageCycles() {
        return slices().matching("dev.baton.(**)").should().beFreeOfCycles();
    }

    /** A service's code ({@code root} and below) uses no other service's code: services talk over HTTP. */
    public static ArchRule noOtherServiceCode(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SERVICES.stream()
                        .filter(service -> !service.equals(root))
                        .map(service -> service + "..")
                        .toArray(String[]::new));
    }

    /** A controller reaches a store only through its feature's service, never directly. */
    public static ArchRule controllersReachStoresThroughServices() {
        return noClasses()
                .that()
                .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .or()
                .areAnnotatedWith("org.springframework.stereotype.Controller")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Store");
    }
}
