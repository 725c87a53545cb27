package dev.athanor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The layout the code keeps, checked on the compiled classes so that it cannot decay unnoticed. Each context (a
 * package under {@code dev.athanor}: accounts, billing, content...) shows the rest of the site one facade, its
 * configuration factories, the value types the facade takes and returns, and its Jersey resources; everything else
 * in it is package-private. Its SQL sits in its DAOs (Jdbi SqlObject interfaces, or a class named {@code ...Dao} where a
 * read is too hot for Jdbi's machinery, as content/CoursePageDao), not in its other classes. The contexts
 * depend on each other in one direction only. A rule broken by a change fails here and names the class.
 */
class ArchitectureTest {

    /** Each context and its facade. */
    private static final Map<String, String> FACADES = Map.of(
            "accounts", "Accounts",
            "admin", "",
            "api", "ApiTokens",
            "billing", "Billing",
            "content", "Content",
            "events", "Events",
            "mail", "Mail",
            "media", "Media");

    /** What counts as writing SQL: a statement made on a Jdbi handle. */
    private static final Set<String> STATEMENTS = Set.of("createQuery", "createUpdate", "createCall", "createScript",
            "execute", "prepareBatch", "select");

    /** ... or on a JDBC connection. */
    private static final Set<String> JDBC_STATEMENTS = Set.of("prepareStatement", "createStatement", "prepareCall");

    private static final JavaClasses SITE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.athanor");

    @Test
    void eachContextShowsOneFacadeItsFactoriesItsValuesAndItsResources() {
        FACADES.forEach((context, facade) -> classes()
                .that().resideInAPackage("dev.athanor." + context)
                .and().arePublic().and().areTopLevelClasses()
                .should(ArchConditions.be(DescribedPredicate.<JavaClass>describe(
                        (facade.isEmpty() ? "" : facade + ", ") + "a factory, a value type or a Jersey resource",
                        type -> type.getSimpleName().equals(facade) || isFactoryValueOrJersey(type))))
                .because("other contexts use " + context + " through " + (facade.isEmpty() ? "nothing but its"
                        + " resources" : facade) + "; the rest of it is package-private")
                .check(SITE));
    }

    @Test
    void noContextReachesIntoAnotherOnesResources() {
        FACADES.keySet().forEach(context -> noClasses()
                .that().resideInAPackage("dev.athanor.*")
                .and().resideOutsideOfPackages("dev.athanor", "dev.athanor." + context)
                .should().dependOnClassesThat(DescribedPredicate.describe("Jersey resources of " + context,
                        (JavaClass type) -> type.getPackageName().equals("dev.athanor." + context)
                                && type.isAnnotatedWith(Path.class)))
                .because("only the site's wiring (AthanorApplication) registers resources")
                .check(SITE));
    }

    @Test
    void theContextsKeepTheirSqlInTheirDaos() {
        noClasses()
                .that().resideInAnyPackage(FACADES.keySet().stream().map(context -> "dev.athanor." + context)
                        .toArray(String[]::new))
                .should().callMethodWhere(DescribedPredicate.describe("a SQL statement made on a Jdbi Handle",
                        (JavaAccess<?> call) -> call.getTargetOwner().isAssignableTo(Handle.class)
                                && STATEMENTS.contains(call.getName())))
                .because("SQL belongs in the context's SqlObject DAOs (see content/CatalogDao)")
                .check(SITE);
        noClasses()
                .that().resideInAnyPackage(FACADES.keySet().stream().map(context -> "dev.athanor." + context)
                        .toArray(String[]::new))
                .and().haveSimpleNameNotEndingWith("Dao")
                .should().callMethodWhere(DescribedPredicate.describe("a SQL statement made on a JDBC Connection",
                        (JavaAccess<?> call) -> call.getTargetOwner().isAssignableTo(java.sql.Connection.class)
                                && JDBC_STATEMENTS.contains(call.getName())))
                .because("SQL belongs in the context's DAOs (see content/CoursePageDao for one in plain JDBC)")
                .check(SITE);
    }

    @Test
    void contextsDependOnEachOtherInOneDirection() {
        slices().matching("dev.athanor.(*)").that(DescribedPredicate.describe("contexts",
                        slice -> FACADES.containsKey(slice.getNamePart(1))))
                .should().beFreeOfCycles()
                .check(SITE);
    }

    /**
     * A configuration factory, a value type (a record, an enum, an exception, or a final class that only holds
     * records), or what Jersey is given (a resource or a request filter).
     */
    private static boolean isFactoryValueOrJersey(JavaClass type) {
        return type.getSimpleName().endsWith("Factory") || type.isRecord() || type.isEnum()
                || type.isAssignableTo(Exception.class) || holdsOnlyRecords(type)
                || type.isAnnotatedWith(Path.class) || type.isAssignableTo(ContainerRequestFilter.class);
    }

    private static boolean holdsOnlyRecords(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.FINAL) && type.getMethods().isEmpty()
                && type.getConstructors().stream().allMatch(made -> made.getModifiers().contains(JavaModifier.PRIVATE))
                && SITE.stream().filter(nested -> nested.getEnclosingClass().map(type::equals).orElse(false))
                        .allMatch(JavaClass::isRecord);
    }
}
