package dev.clara.chat.workspace;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBudgetTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theCapIsReachedExactlyWhenTheRecordedTokensReachTheBudget() {
		assertThat(new TokenBudget(300L, 299).reached()).isFalse();
		assertThat(new TokenBudget(300L, 300).reached()).isTrue();
		assertThat(new TokenBudget(300L, 405).reached()).isTrue();
	}

	@Test
	void noBudgetIsNoCap() {
		assertThat(new TokenBudget(null, Long.MAX_VALUE).reached()).isFalse();
		assertThat(TokenBudget.NONE.reached()).isFalse();
	}

	@Test
	void theSettingIsReadAsAPositiveWholeNumberElseNoCap() {
		assertThat(WorkspaceSettings.budgetOf(this.json.readTree("{\"monthly_token_budget\": 5000}"))).isEqualTo(5000L);
		assertThat(WorkspaceSettings.budgetOf(this.json.readTree("{\"monthly_token_budget\": null}"))).isNull();
		assertThat(WorkspaceSettings.budgetOf(this.json.readTree("{}"))).isNull();
		assertThat(WorkspaceSettings.budgetOf(this.json.readTree("{\"monthly_token_budget\": 0}"))).isNull();
		assertThat(WorkspaceSettings.budgetOf(this.json.readTree("{\"monthly_token_budget\": \"5000\"}"))).isNull();
	}

}
