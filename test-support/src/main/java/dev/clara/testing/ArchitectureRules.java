package dev.clara.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The boundaries every module keeps, as ArchUnit rules; each module's {@code ArchitectureTests}
 * applies the ones that concern it to its own production classes.
 *
 * <ul>
 * <li>no cycles between the packages of a module;</li>
 * <li>a service depends only on its own code, {@code shared} and {@code outbox}: never on
 * another service;</li>
 * <li>SQL lives in repositories: only classes annotated {@code @Repository} (or a
 * {@code @Configuration} that wires a data source) hand SQL text to JDBC;</li>
 * <li>event contracts and the rest of {@code shared} stay free of Spring, JDBC and Kafka, so any
 * consumer (an analyst's too) can use them;</li>
 * <li>in chat-api, the public chat path never reaches into the owner API.</li>
 * </ul>
 */
public final class ArchitectureRules {

	/** Packages of Clara's code that every service may use. */
	public static final String[] SHARED_CODE = { "dev.clara.shared..", "dev.clara.outbox.." };

	private static final String REPOSITORY = "org.springframework.stereotype.Repository";

	private static final String CONFIGURATION = "org.springframework.context.annotation.Configuration";

	/** JDBC's and Spring JDBC's methods that take a statement's text. */
	private static final Set<String> SQL_TEXT_METHODS = Set.of("sql", "prepareStatement", "prepareCall", "nativeSQL",
			"execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch", "query", "queryForObject",
			"queryForList", "queryForMap", "queryForRowSet", "queryForStream", "update", "batchUpdate");

	private ArchitectureRules() {
	}

	/** The production classes below {@code rootPackage} (tests and jars excluded). */
	public static JavaClasses productionClasses(String rootPackage) {
		return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
			.importPackages(rootPackage);
	}

	/**
	 * No two packages of {@code rootPackage} and below depend on each other, directly or around a
	 * cycle (apply it to classes imported from {@code rootPackage} only).
	 */
	public static ArchRule noPackageCycles(String rootPackage) {
		// sliced from the parent, so that the root package itself is a slice too
		return slices().matching(rootPackage.substring(0, rootPackage.lastIndexOf('.')) + ".(**)")
			.should()
			.beFreeOfCycles()
			.because("a cycle makes packages one unit that cannot be read, tested or moved alone");
	}

	/**
	 * Classes below {@code rootPackage} use no Clara code but their own and the shared modules'
	 * (plus {@code alsoAllowed}, package patterns such as {@code "dev.clara.schema.."}).
	 */
	public static ArchRule dependOnlyOnSharedCode(String rootPackage, String... alsoAllowed) {
		List<String> allowed = new ArrayList<>(List.of(rootPackage + ".."));
		allowed.addAll(Arrays.asList(SHARED_CODE));
		allowed.addAll(Arrays.asList(alsoAllowed));
		return classes().that()
			.resideInAPackage(rootPackage + "..")
			.should()
			.onlyDependOnClassesThat(resideOutsideOfPackage("dev.clara..").or(resideInAnyPackage(allowed.toArray(String[]::new))))
			.because("services talk through Kafka and PostgreSQL, never through each other's classes");
	}

	/**
	 * Only {@code @Repository} classes (and a {@code @Configuration} that wires a data source) hand
	 * SQL text to JDBC. Passing a connection or a {@code JdbcClient} along (to run a repository in
	 * the caller's transaction) is not SQL and is allowed.
	 */
	public static ArchRule sqlOnlyInRepositories(String rootPackage) {
		return noClasses().that()
			.resideInAPackage(rootPackage + "..")
			.and(DescribedPredicate.not(annotatedOrNestedIn(REPOSITORY)))
			.and(DescribedPredicate.not(annotatedOrNestedIn(CONFIGURATION)))
			.should()
			.callMethodWhere(DescribedPredicate.describe("it hands SQL text to JDBC", ArchitectureRules::takesSqlText))
			.because("SQL is kept in repositories, where a reader finds every statement of a concern");
	}

	/** Classes below {@code rootPackage} use neither Spring, JDBC nor Kafka. */
	public static ArchRule freeOfFrameworks(String rootPackage) {
		return noClasses().that()
			.resideInAPackage(rootPackage + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..", "org.apache.kafka..")
			.because("contracts and shared logic must be usable by any consumer, whatever its transport");
	}

	/** Classes below {@code rootPackage} outside {@code forbiddenPackage} never use it. */
	public static ArchRule neverReach(String rootPackage, String forbiddenPackage, String reason) {
		return noClasses().that()
			.resideInAPackage(rootPackage + "..")
			.and()
			.resideOutsideOfPackage(forbiddenPackage + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(forbiddenPackage + "..")
			.because(reason);
	}

	private static boolean takesSqlText(JavaMethodCall call) {
		AccessTarget.MethodCallTarget target = call.getTarget();
		String owner = target.getOwner().getPackageName();
		boolean jdbc = owner.startsWith("java.sql") || owner.startsWith("org.springframework.jdbc");
		return jdbc && SQL_TEXT_METHODS.contains(target.getName())
				&& target.getRawParameterTypes().stream().anyMatch(type -> type.isEquivalentTo(String.class));
	}

	/** Annotated itself, or nested in (a lambda's or inner class's owner) a class that is. */
	private static DescribedPredicate<JavaClass> annotatedOrNestedIn(String annotation) {
		return DescribedPredicate.describe("annotated with @" + annotation.substring(annotation.lastIndexOf('.') + 1),
				javaClass -> {
					for (JavaClass c = javaClass; c != null; c = c.getEnclosingClass().orElse(null)) {
						if (c.isAnnotatedWith(annotation)) {
							return true;
						}
					}
					return false;
				});
	}

}
