package dev.clara.outbox;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.clara.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the outbox module (docs/architecture.md): a library of the services that
 * depends on nothing of theirs. Its two classes are SQL by nature (the outbox row, the gap row);
 * the services create them as beans through {@code OutboxAutoConfiguration}.
 */
class ArchitectureTests {

	private static final JavaClasses CLASSES = ArchitectureRules.productionClasses("dev.clara.outbox");

	@Test
	void noPackageCycles() {
		ArchitectureRules.noPackageCycles("dev.clara.outbox").check(CLASSES);
	}

	@Test
	void dependsOnlyOnSharedCode() {
		ArchitectureRules.dependOnlyOnSharedCode("dev.clara.outbox").check(CLASSES);
	}

}
