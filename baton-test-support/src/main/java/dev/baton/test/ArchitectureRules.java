package dev.baton.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
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

    /**
     * A feature's data access: a store or repository (by name, by {@code @Repository}, or as a
     * Spring Data repository), a JPA entity or attribute converter, or a type nested in one of them.
     */
    private static final DescribedPredicate<JavaClass> DATA_ACCESS = DescribedPredicate.describe(
            "are stores, repositories or entities, or nested in one",
            clazz -> isDataAccess(clazz)
                    || clazz.getEnclosingClass()
                            .map(ArchitectureRules::isDataAccess)
                            .orElse(false));

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

    /** A controller reaches stores, repositories and entities only through its feature's service, never directly. */
    public static ArchRule controllersReachStoresThroughServices() {
        return noClasses()
                .that()
                .areAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .or()
                .areAnnotatedWith("org.springframework.stereotype.Controller")
                .should()
                .dependOnClassesThat(DATA_ACCESS);
    }

    private static boolean isDataAccess(JavaClass clazz) {
        return clazz.getSimpleName().endsWith("Store")
                || clazz.getSimpleName().endsWith("Repository")
                || clazz.isAnnotatedWith("org.springframework.stereotype.Repository")
                || clazz.isAssignableTo("org.springframework.data.repository.Repository")
                || clazz.isAnnotatedWith("jakarta.persistence.Entity")
                || clazz.isAnnotatedWith("jakarta.persistence.Converter");
    }
}
