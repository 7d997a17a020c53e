package dev.clara.relay;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.clara.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The boundaries of cdc-relay (docs/architecture.md); each rule is shown to catch a planted violation in test-support. */
class ArchitectureTests {

	private static final JavaClasses CLASSES = ArchitectureRules.productionClasses("dev.clara.relay");

	@Test
	void noPackageCycles() {
		ArchitectureRules.noPackageCycles("dev.clara.relay").check(CLASSES);
	}

	@Test
	void dependsOnlyOnSharedCode() {
		ArchitectureRules.dependOnlyOnSharedCode("dev.clara.relay").check(CLASSES);
	}

}
