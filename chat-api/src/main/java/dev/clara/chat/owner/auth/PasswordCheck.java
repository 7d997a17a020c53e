package dev.clara.chat.owner.auth;

import dev.clara.chat.owner.OwnerProperties;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password checks whose duration does not depend on the account: an unknown e-mail address, an
 * account without a password and an account whose hash has a lower cost than configured all take
 * (at least) one BCrypt check at the configured cost, like a known account's wrong password.
 */
@Component
class PasswordCheck {

	private final BCryptPasswordEncoder encoder;

	private final int strength;

	/** A hash of a random password at the configured cost, made at start-up (not on first use). */
	private final String dummyHash;

	PasswordCheck(BCryptPasswordEncoder encoder, OwnerProperties properties) {
		this.encoder = encoder;
		this.strength = properties.bcryptStrength();
		this.dummyHash = encoder.encode(java.util.UUID.randomUUID().toString());
		if (cost(this.dummyHash) != this.strength) {
			throw new IllegalStateException("the password encoder's cost is not clara.owner.bcrypt-strength");
		}
	}

	/**
	 * Whether the password matches the stored hash (null or not BCrypt: never), in no less time
	 * than one check at the configured cost.
	 */
	boolean matches(String password, String storedHash) {
		if (storedHash == null || cost(storedHash) < 0) {
			this.encoder.matches(password, this.dummyHash);
			return false;
		}
		boolean ok = this.encoder.matches(password, storedHash);
		if (cost(storedHash) < this.strength) {
			// a cheaper hash would answer faster and tell that the account exists
			this.encoder.matches(password, this.dummyHash);
		}
		return ok;
	}

	/** Whether a hash should be replaced by one at the configured cost (after a successful check). */
	boolean needsRehash(String storedHash) {
		return cost(storedHash) != this.strength;
	}

	String encode(String password) {
		return this.encoder.encode(password);
	}

	String dummyHash() {
		return this.dummyHash;
	}

	/** The cost of a BCrypt hash ({@code $2a$12$…}), or -1 when it is not one. */
	static int cost(String hash) {
		if (hash == null || hash.length() != 60 || !hash.startsWith("$2") || hash.charAt(6) != '$') {
			return -1;
		}
		int dollar = hash.indexOf('$', 1);
		if (dollar != 3 || !Character.isDigit(hash.charAt(4)) || !Character.isDigit(hash.charAt(5))) {
			return -1;
		}
		return Integer.parseInt(hash.substring(4, 6));
	}

}
