package dev.clara.shared.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LlmKeyCipherTests {

	private static final String RAW_KEY = "sk-proj-A1b2C3d4E5f6G7h8I9j0-topsecret-wxyz";

	private static final String K1 = Base64.getEncoder().encodeToString(bytes(32, 1));

	private static final String K2 = Base64.getEncoder().encodeToString(bytes(32, 2));

	private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{24}:[0-9a-f]{32}:[0-9a-f]+");

	private final UUID workspace = UUID.fromString("11111111-1111-1111-1111-111111111111");

	private final UUID row = UUID.fromString("22222222-2222-2222-2222-222222222222");

	private final byte[] aad = LlmKeyCipher.aad(this.workspace, this.row);

	private final LlmKeyCipher cipher = new LlmKeyCipher(MasterKeys.parse("k1:" + K1, "k1"));

	@Test
	void roundTripsInTheStoredFormat() {
		EncryptedSecret secret = this.cipher.encrypt(RAW_KEY, this.aad);

		assertThat(secret.keyId()).isEqualTo("k1");
		assertThat(secret.value()).matches(FORMAT).doesNotContain(RAW_KEY);
		// GCM ciphertext is as long as the plaintext
		assertThat(secret.value().split(":")[2]).hasSize(RAW_KEY.length() * 2);
		assertThat(this.cipher.decrypt(secret.keyId(), secret.value(), this.aad)).isEqualTo(RAW_KEY);
		assertThat(this.cipher.decrypt(secret, this.aad)).isEqualTo(RAW_KEY);
	}

	@Test
	void everyEncryptionUsesAFreshIv() {
		EncryptedSecret first = this.cipher.encrypt(RAW_KEY, this.aad);
		EncryptedSecret second = this.cipher.encrypt(RAW_KEY, this.aad);
		assertThat(first.value().split(":")[0]).isNotEqualTo(second.value().split(":")[0]);
		assertThat(first.value()).isNotEqualTo(second.value());
	}

	@ParameterizedTest(name = "part {0}")
	@ValueSource(ints = { 0, 1, 2 })
	void flippingAByteOfAnyPartIsDetected(int part) {
		String[] parts = this.cipher.encrypt(RAW_KEY, this.aad).value().split(":");
		parts[part] = flipFirstByte(parts[part]);
		String tampered = String.join(":", parts);

		assertThatExceptionOfType(KeyCipherException.class)
			.isThrownBy(() -> this.cipher.decrypt("k1", tampered, this.aad))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(KeyCipherException.Reason.AUTHENTICATION_FAILED);
				assertNoSecretIn(ex.getMessage(), tampered);
			});
	}

	@Test
	void aValueCopiedToAnotherRowDoesNotDecrypt() {
		EncryptedSecret secret = this.cipher.encrypt(RAW_KEY, this.aad);
		byte[] otherRow = LlmKeyCipher.aad(this.workspace, UUID.randomUUID());
		byte[] otherWorkspace = LlmKeyCipher.aad(UUID.randomUUID(), this.row);

		for (byte[] wrong : new byte[][] { otherRow, otherWorkspace, "x".getBytes(StandardCharsets.UTF_8) }) {
			assertThatExceptionOfType(KeyCipherException.class)
				.isThrownBy(() -> this.cipher.decrypt(secret, wrong))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(KeyCipherException.Reason.AUTHENTICATION_FAILED));
		}
	}

	@Test
	void anUnknownKeyIdIsAClearErrorWithoutSecrets() {
		EncryptedSecret secret = this.cipher.encrypt(RAW_KEY, this.aad);
		assertThatExceptionOfType(KeyCipherException.class)
			.isThrownBy(() -> this.cipher.decrypt("k9", secret.value(), this.aad))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(KeyCipherException.Reason.UNKNOWN_KEY_ID);
				assertThat(ex.getMessage()).contains("'k9'").contains("[k1]");
				assertNoSecretIn(ex.getMessage(), secret.value());
			});
	}

	@Test
	void aValueEncryptedWithAnotherKeyUnderTheSameIdFailsAuthentication() {
		LlmKeyCipher other = new LlmKeyCipher(MasterKeys.parse("k1:" + K2, "k1"));
		EncryptedSecret secret = other.encrypt(RAW_KEY, this.aad);
		assertThatExceptionOfType(KeyCipherException.class).isThrownBy(() -> this.cipher.decrypt(secret, this.aad))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(KeyCipherException.Reason.AUTHENTICATION_FAILED));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "abc", "00:11", "00:11:22:33", "ZZ:00:00",
			"000000000000000000000000:00000000000000000000000000000000:0", // odd hex
			"000000000000000000000000:00000000000000000000000000000000:AB", // upper case
			"0000000000000000:00000000000000000000000000000000:ab" }) // 8-byte IV
	void malformedValuesAreRejectedBeforeDecryption(String value) {
		assertThatExceptionOfType(KeyCipherException.class).isThrownBy(() -> this.cipher.decrypt("k1", value, this.aad))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(KeyCipherException.Reason.MALFORMED));
	}

	@Test
	void rotationDecryptsOldValuesAndEncryptsNewOnesWithTheCurrentKey() {
		LlmKeyCipher before = new LlmKeyCipher(MasterKeys.parse("k1:" + K1, "k1"));
		EncryptedSecret old = before.encrypt(RAW_KEY, this.aad);

		LlmKeyCipher after = new LlmKeyCipher(MasterKeys.parse("k1:" + K1 + ", k2:" + K2, "k2"));
		assertThat(after.needsRotation(old.keyId())).isTrue();
		assertThat(after.decrypt(old, this.aad)).isEqualTo(RAW_KEY);

		EncryptedSecret rotated = after.reencrypt(old.keyId(), old.value(), this.aad);
		assertThat(rotated.keyId()).isEqualTo("k2");
		assertThat(after.needsRotation(rotated.keyId())).isFalse();
		assertThat(after.decrypt(rotated, this.aad)).isEqualTo(RAW_KEY);
		assertThat(after.encrypt("sk-another-key-1234", this.aad).keyId()).isEqualTo("k2");
		// once k1 is retired, only re-encrypted values remain readable
		LlmKeyCipher retired = new LlmKeyCipher(MasterKeys.parse("k2:" + K2, "k2"));
		assertThat(retired.decrypt(rotated, this.aad)).isEqualTo(RAW_KEY);
		assertThatExceptionOfType(KeyCipherException.class).isThrownBy(() -> retired.decrypt(old, this.aad));
	}

	@Test
	void blankPlaintextAndMissingAadAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.encrypt(" ", this.aad));
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.encrypt(RAW_KEY, new byte[0]))
			.withMessageContaining("associated data");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.encrypt(RAW_KEY, null));
	}

	@Test
	void unicodeKeysRoundTrip() {
		String odd = "ключ-🔑-" + RAW_KEY;
		assertThat(this.cipher.decrypt(this.cipher.encrypt(odd, this.aad), this.aad)).isEqualTo(odd);
	}

	@Test
	void last4ShowsOnlyTheEnd() {
		assertThat(LlmKeyCipher.last4(RAW_KEY)).isEqualTo("wxyz");
		assertThat(LlmKeyCipher.last4("  sk-abcdefgh1234 \n")).isEqualTo("1234");
		assertThatIllegalArgumentException().isThrownBy(() -> LlmKeyCipher.last4("sk-1234"));
		assertThatIllegalArgumentException().isThrownBy(() -> LlmKeyCipher.last4(null));
	}

	@Test
	void toStringsHoldNoKeyMaterial() {
		MasterKeys keys = MasterKeys.parse("k1:" + K1 + ",k2:" + K2, "k2");
		assertThat(keys.toString()).isEqualTo("MasterKeys[current=k2, ids=[k1, k2]]");
		assertThat(this.cipher.toString()).doesNotContain(K1);
	}

	private static void assertNoSecretIn(String message, String storedValue) {
		assertThat(message).doesNotContain(RAW_KEY)
			.doesNotContain("topsecret")
			.doesNotContain(K1)
			.doesNotContain(K2)
			.doesNotContain(storedValue.split(":")[2])
			.doesNotContain(storedValue.split(":")[1]);
	}

	private static String flipFirstByte(String hex) {
		int first = Integer.parseInt(hex.substring(0, 2), 16) ^ 0x01;
		return String.format("%02x", first) + hex.substring(2);
	}

	private static byte[] bytes(int length, int seed) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (seed * 31 + i);
		}
		return bytes;
	}

}
