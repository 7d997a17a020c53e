package dev.clara.shared;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.clara.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The boundaries of shared (docs/architecture.md); each rule is shown to catch a planted violation in test-support. */
class ArchitectureTests {

	private static final JavaClasses CLASSES = ArchitectureRules.productionClasses("dev.clara.shared");

	@Test
	void noPackageCycles() {
		ArchitectureRules.noPackageCycles("dev.clara.shared").check(CLASSES);
	}

	@Test
	void contractsAndSharedLogicFreeOfFrameworks() {
		ArchitectureRules.freeOfFrameworks("dev.clara.shared").check(CLASSES);
	}

	@Test
	void dependsOnNoService() {
		ArchitectureRules.dependOnlyOnSharedCode("dev.clara.shared").check(CLASSES);
	}

}
