package dev.clara.shared.crypto;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MasterKeysTests {

	private static final String KEY_32 = Base64.getEncoder().encodeToString(new byte[32]);

	private static final String KEY_16 = Base64.getEncoder().encodeToString(new byte[16]);

	@Test
	void parsesIdsInOrderWithTheCurrentOne() {
		String generated = MasterKeys.generateKey();
		MasterKeys keys = MasterKeys.parse(" 2024-01:" + KEY_32 + " , 2025-06:" + generated + " ", "2025-06");
		assertThat(keys.ids()).containsExactly("2024-01", "2025-06");
		assertThat(keys.currentId()).isEqualTo("2025-06");
		assertThat(keys.contains("2024-01")).isTrue();
		assertThat(Base64.getDecoder().decode(generated)).hasSize(32);
		assertThat(keys.toString()).doesNotContain(generated).doesNotContain(KEY_32);
	}

	@Test
	void aKeyOfTheWrongLengthNamesItsIdAndLengthButNotItsValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("k1:" + KEY_16, "k1"))
			.withMessageContaining("'k1'")
			.withMessageContaining("exactly 32 bytes")
			.withMessageContaining("16 bytes")
			.withMessageNotContaining(KEY_16);
	}

	@Test
	void invalidBase64IsReportedWithoutQuotingIt() {
		String notBase64 = "this-is-not*base64!secret";
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("k1:" + notBase64, "k1"))
			.withMessageContaining("not valid base64")
			.withMessageNotContaining(notBase64)
			.withMessageNotContaining("*");
	}

	@Test
	void structuralErrorsAreClear() {
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("", "k1"))
			.withMessageContaining("No master keys");
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse(KEY_32, "k1"))
			.withMessageContaining("entry 1")
			.withMessageNotContaining(KEY_32);
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("k1:" + KEY_32 + ",bad id:" + KEY_32, "k1"))
			.withMessageContaining("entry 2")
			.withMessageContaining("invalid id");
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("k1:" + KEY_32 + ",k1:" + KEY_32, "k1"))
			.withMessageContaining("twice");
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("k1:" + KEY_32, "k2"))
			.withMessageContaining("'k2'")
			.withMessageContaining("[k1]");
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKeys.parse("k1:" + KEY_32, null))
			.withMessageContaining("current");
	}

}
