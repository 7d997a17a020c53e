package dev.clara.embedding;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.clara.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The boundaries of embedding-worker (docs/architecture.md); each rule is shown to catch a planted violation in test-support. */
class ArchitectureTests {

	private static final JavaClasses CLASSES = ArchitectureRules.productionClasses("dev.clara.embedding");

	@Test
	void noPackageCycles() {
		ArchitectureRules.noPackageCycles("dev.clara.embedding").check(CLASSES);
	}

	@Test
	void dependsOnlyOnSharedCode() {
		ArchitectureRules.dependOnlyOnSharedCode("dev.clara.embedding").check(CLASSES);
	}

	@Test
	void sqlOnlyInRepositories() {
		ArchitectureRules.sqlOnlyInRepositories("dev.clara.embedding").check(CLASSES);
	}

}
