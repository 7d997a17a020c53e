package dev.clara.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule fails on a planted violation (classes in {@code dev.clara.planted}) and passes where
 * the code keeps it, so a rule that silently checks nothing would show here.
 */
class ArchitectureRulesTests {

	private static final JavaClasses PLANTED = new ClassFileImporter().importPackages("dev.clara.planted");

	private static final JavaClasses PLANTED_CYCLE = new ClassFileImporter().importPackages("dev.clara.planted.cycle");

	@Test
	void packageCycleIsFound() {
		assertThat(violations(ArchitectureRules.noPackageCycles("dev.clara.planted.cycle"), PLANTED_CYCLE))
			.contains("First", "Second");
		assertThat(violations(ArchitectureRules.noPackageCycles("dev.clara.planted.web"),
				new ClassFileImporter().importPackages("dev.clara.planted.web")))
			.isEmpty();
	}

	@Test
	void serviceUsingAnotherServiceIsFound() {
		assertThat(violations(ArchitectureRules.dependOnlyOnSharedCode("dev.clara.planted.service")))
			.contains("LeakyClient", "ForeignService");
		assertThat(violations(ArchitectureRules.dependOnlyOnSharedCode("dev.clara.planted.service",
				"dev.clara.planted.other..")))
			.isEmpty();
	}

	@Test
	void jdbcOutsideRepositoriesIsFound() {
		String violations = violations(ArchitectureRules.sqlOnlyInRepositories("dev.clara.planted.sql"));
		assertThat(violations).contains("ControllerWithSql").doesNotContain("PairRepository");
	}

	@Test
	void frameworkInContractsIsFound() {
		assertThat(violations(ArchitectureRules.freeOfFrameworks("dev.clara.planted.contract")))
			.contains("SpringAwareEvent");
		assertThat(violations(ArchitectureRules.freeOfFrameworks("dev.clara.planted.cycle"))).isEmpty();
	}

	@Test
	void publicPathReachingTheOwnerApiIsFound() {
		ArchRule rule = ArchitectureRules.neverReach("dev.clara.planted.web", "dev.clara.planted.web.owner",
				"the public path must not reach the owner API");
		assertThat(violations(rule)).contains("PublicThing").doesNotContain("OwnerThing.java");
	}

	private static String violations(ArchRule rule) {
		return violations(rule, PLANTED);
	}

	private static String violations(ArchRule rule, JavaClasses classes) {
		return String.join("\n", rule.allowEmptyShould(true).evaluate(classes).getFailureReport().getDetails());
	}

}
