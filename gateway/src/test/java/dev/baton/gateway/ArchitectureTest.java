package dev.baton.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.baton.test.ArchitectureRules;

/** The structure of gateway's code, kept by the build. */
@AnalyzeClasses(packages = "dev.baton.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.noPackageCycles();

    @ArchTest
    static final ArchRule noOtherServiceCode = ArchitectureRules.noOtherServiceCode("dev.baton.gateway");

    @ArchTest
    static final ArchRule controllersReachStoresThroughServices =
            ArchitectureRules.controllersReachStoresThroughServices();

    @ArchTest
    static final ArchRule featureInternalsArePackagePrivate = ArchitectureRules.featureInternalsArePackagePrivate();

    @ArchTest
    static final ArchRule publicOnlyWhatOtherPackagesUse = ArchitectureRules.publicOnlyWhatOtherPackagesUse();
}
