package dev.zhifu.payments;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package rules of the service (payment-service/README.md, Layout): a top-level package under
 * {@code dev.zhifu.payments} is a feature, features depend on each other in one direction only, a feature's
 * tables are read and written through its own classes (here: only the features that own tables use JDBC, and
 * no other feature uses their repositories; TableOwnershipTest: each table is named in SQL by its owner only),
 * and a payment's status has one writer. Run by {@code mvn verify} with the other tests; main classes only (a
 * test may reach into any package).
 */
@AnalyzeClasses(packages = "dev.zhifu.payments", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

    private static final String ROOT = "dev.zhifu.payments";
    private static final String PAYMENT_LEDGER = ROOT + ".payments.PaymentLedger";
    private static final String PAYMENT_REPOSITORY = ROOT + ".payments.PaymentRepository";
    /** The methods of PaymentRepository that change a payment's status column. */
    private static final Set<String> STATUS_WRITES = Set.of("markPaid", "markClosed", "addRefunded");

    /** (a) Features depend on each other in one direction only, so each can be read and changed from below. */
    @ArchTest
    static final ArchRule featuresAreFreeOfCycles =
            slices().matching(ROOT + ".(*)..").namingSlices("$1").should().beFreeOfCycles();

    /** (a) The root package holds the application class alone, which assembles the features; none needs it. */
    @ArchTest
    static final ArchRule nothingDependsOnTheRootPackage = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ROOT);

    /**
     * (b) A repository (and any type nested in it) is used by its own package only: another feature asks the
     * owning feature's service or query class, so each table has one package that reads and writes it.
     */
    @ArchTest
    static final ArchRule repositoriesStayInTheirPackage =
            classes().that(areRepositoriesOrNestedInOne()).should(beUsedOnlyFromTheirOwnPackage());

    /**
     * (b) Only a feature that owns tables (TableOwnershipTest.OWNERS) talks to the database, and the storage and
     * jobs infrastructure below them: the console, the metrics, the web layer and the rest ask the owners.
     */
    @ArchTest
    static final ArchRule onlyTableOwnersUseJdbc = noClasses()
            .that()
            .resideOutsideOfPackages(databasePackages())
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..")
            .because("a feature's tables are read through the owner's query or service class");

    /** (c) A payment's status changes in PaymentLedger alone (one conditional UPDATE and its event). */
    @ArchTest
    static final ArchRule onlyThePaymentLedgerWritesAPaymentsStatus = noClasses()
            .that()
            .doNotHaveFullyQualifiedName(PAYMENT_LEDGER)
            .should()
            .callMethodWhere(statusWriteOfPaymentRepository())
            .because("PaymentLedger is the only place a payment's status changes");

    /** (c) The rule above names methods; this keeps it from passing only because one was renamed. */
    @ArchTest
    static final ArchRule theStatusWritesExist =
            classes().that().haveFullyQualifiedName(PAYMENT_REPOSITORY).should(haveMethodsNamed(STATUS_WRITES));

    /** (d) No grab-bag package: every class lives in the package of its purpose. */
    @ArchTest
    static final ArchRule noGrabBagPackage = noClasses()
            .should()
            .resideInAnyPackage(grabBags())
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(grabBags());

    private static String[] databasePackages() {
        Set<String> packages = new TreeSet<>(TableOwnershipTest.OWNERS.values());
        packages.addAll(Set.of("storage", "jobs"));
        return packages.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
    }

    private static String[] grabBags() {
        return new String[] {
            ROOT + "..support..",
            ROOT + "..util..",
            ROOT + "..utils..",
            ROOT + "..common..",
            ROOT + "..shared..",
            ROOT + "..helper..",
            ROOT + "..helpers..",
            ROOT + "..misc.."
        };
    }

    private static DescribedPredicate<JavaClass> areRepositoriesOrNestedInOne() {
        return DescribedPredicate.describe("are named *Repository or nested in one", c -> repositoryOf(c) != null);
    }

    private static JavaClass repositoryOf(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (k.getSimpleName().endsWith("Repository")) {
                return k;
            }
        }
        return null;
    }

    private static ArchCondition<JavaClass> beUsedOnlyFromTheirOwnPackage() {
        return new ArchCondition<>("be used only from their own package") {
            @Override
            public void check(JavaClass target, ConditionEvents events) {
                for (Dependency d : target.getDirectDependenciesToSelf()) {
                    JavaClass origin = d.getOriginClass();
                    if (!origin.getPackageName().equals(target.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static DescribedPredicate<JavaMethodCall> statusWriteOfPaymentRepository() {
        return DescribedPredicate.describe(
                "the target is PaymentRepository." + STATUS_WRITES,
                call -> call.getTargetOwner().getFullName().equals(PAYMENT_REPOSITORY)
                        && STATUS_WRITES.contains(call.getName()));
    }

    private static ArchCondition<JavaClass> haveMethodsNamed(Set<String> names) {
        return new ArchCondition<>("have methods named " + names) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (String name : names) {
                    boolean found =
                            c.getMethods().stream().anyMatch(m -> m.getName().equals(name));
                    events.add(new SimpleConditionEvent(c, found, c.getName() + (found ? " has " : " lacks ") + name));
                }
            }
        };
    }
}
