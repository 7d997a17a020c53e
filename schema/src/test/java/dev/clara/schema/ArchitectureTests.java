package dev.clara.schema;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.clara.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The boundaries of schema (docs/architecture.md); each rule is shown to catch a planted violation in test-support. */
class ArchitectureTests {

	private static final JavaClasses CLASSES = ArchitectureRules.productionClasses("dev.clara.schema");

	@Test
	void noPackageCycles() {
		ArchitectureRules.noPackageCycles("dev.clara.schema").check(CLASSES);
	}

	@Test
	void dependsOnNoOtherModule() {
		ArchitectureRules.dependOnlyOnSharedCode("dev.clara.schema").check(CLASSES);
	}

}
