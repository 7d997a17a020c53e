package dev.clara.chat.owner.workspace;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class MonthlyTokenBudgetValidationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@ParameterizedTest
	@ValueSource(strings = { "1", "250000", "1000000000000", "null" })
	void aPositiveWholeNumberOrNullIsAccepted(String value) {
		assertThat(SettingsValidator.validate(this.json.readTree("{\"monthly_token_budget\": " + value + "}"))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1", "2.5", "1e3", "\"1000\"", "true", "[]", "1000000000001",
			"99999999999999999999999" })
	void anythingElseIsRejected(String value) {
		assertThat(SettingsValidator.validate(this.json.readTree("{\"monthly_token_budget\": " + value + "}")))
			.containsOnlyKeys("monthly_token_budget")
			.containsValue("must be a whole number from 1 to 1000000000000, or null for no cap");
	}

}
