package dev.clara.chat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.clara.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The boundaries of chat-api (docs/architecture.md); each rule is shown to catch a planted violation in test-support. */
class ArchitectureTests {

	private static final JavaClasses CLASSES = ArchitectureRules.productionClasses("dev.clara.chat");

	@Test
	void noPackageCycles() {
		ArchitectureRules.noPackageCycles("dev.clara.chat").check(CLASSES);
	}

	@Test
	void dependsOnlyOnSharedCode() {
		ArchitectureRules.dependOnlyOnSharedCode("dev.clara.chat").check(CLASSES);
	}

	@Test
	void sqlOnlyInRepositories() {
		ArchitectureRules.sqlOnlyInRepositories("dev.clara.chat").check(CLASSES);
	}

	@Test
	void publicChatPathNeverReachesTheOwnerApi() {
		ArchitectureRules
			.neverReach("dev.clara.chat", "dev.clara.chat.owner",
					"the public chat path answers anonymous visitors and must not share code paths with the owner API")
			.check(CLASSES);
	}

}
