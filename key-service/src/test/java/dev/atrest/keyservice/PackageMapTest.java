package dev.atrest.keyservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the package map of docs/architecture.md: capabilities on top of shared support, no cycles, a
 * framework-free domain. A change that breaks one of these fails here, naming the classes involved.
 */
class PackageMapTest {
    private static final String ROOT = "dev.atrest.keyservice";
    /** Named in full: "..health.." alone would also match grpc.health.v1 and Quarkus' gRPC health classes. */
    private static final String[] CAPABILITIES = Stream.of("project", "cluster", "rotation",
            "cmkchange", "datakey", "snapshot", "health", "access", "audit", "masterkey")
            .map(capability -> ROOT + "." + capability + "..").toArray(String[]::new);

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void packages_dependOnEachOther_withoutCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void domain_usesNothingButTheJdkAndTheContractsRules() {
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages(ROOT + ".domain..", "java..", "dev.atrest.contract..")
                .check(main);
    }

    @Test
    void sharedSupport_neverReachesUpIntoACapability() {
        noClasses().that().resideInAnyPackage(ROOT + ".domain..", ROOT + ".crypto..", ROOT + ".kms..",
                        ROOT + ".store..", ROOT + ".grpc..", ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
                .check(main);
    }

    @Test
    void capabilities_neverReachIntoStartUp() {
        noClasses().that().resideInAnyPackage(CAPABILITIES)
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".bootstrap..")
                .check(main);
    }
}
