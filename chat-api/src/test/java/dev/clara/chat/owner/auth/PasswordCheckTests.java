package dev.clara.chat.owner.auth;

import dev.clara.chat.owner.OwnerProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordCheckTests {

	static OwnerProperties properties(int strength) {
		return new Binder(new MapConfigurationPropertySource(java.util.Map.of("clara.owner.bcrypt-strength", strength)))
			.bindOrCreate("clara.owner", Bindable.of(OwnerProperties.class));
	}

	@Test
	void theDummyHashHasTheConfiguredCost() {
		PasswordCheck check = new PasswordCheck(new BCryptPasswordEncoder(6), properties(6));
		assertThat(PasswordCheck.cost(check.dummyHash())).isEqualTo(6);
	}

	@Test
	void costIsReadFromTheHash() {
		assertThat(PasswordCheck.cost(new BCryptPasswordEncoder(4).encode("x"))).isEqualTo(4);
		assertThat(PasswordCheck.cost("$2b$10$" + "a".repeat(53))).isEqualTo(10);
		assertThat(PasswordCheck.cost(null)).isEqualTo(-1);
		assertThat(PasswordCheck.cost("plain text")).isEqualTo(-1);
		assertThat(PasswordCheck.cost("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")).isEqualTo(-1);
	}

	@Test
	void aHashOfAnotherCostIsToBeReplaced() {
		PasswordCheck check = new PasswordCheck(new BCryptPasswordEncoder(5), properties(5));
		String cheap = new BCryptPasswordEncoder(4).encode("secret password");
		assertThat(check.matches("secret password", cheap)).isTrue();
		assertThat(check.needsRehash(cheap)).isTrue();
		assertThat(check.needsRehash(check.encode("secret password"))).isFalse();
		assertThat(check.matches("secret password", null)).isFalse();
		assertThat(check.matches("secret password", "not a hash")).isFalse();
	}

}
