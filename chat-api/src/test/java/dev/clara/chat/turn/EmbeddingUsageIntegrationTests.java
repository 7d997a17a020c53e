package dev.clara.chat.turn;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.workspace.WorkspaceRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A question embedded by a remote provider is recorded as the workspace's usage beside the turn,
 * and counts toward its monthly token budget; an in-process model records nothing.
 */
class EmbeddingUsageIntegrationTests extends ChatApiIntegrationTest {

	@Autowired
	TurnRecorder recorder;

	@Autowired
	WorkspaceRepository workspaceSettings;

	@Test
	void remoteEmbeddingTokensAreRecordedWithTheTurnAndCountTowardTheBudget() {
		UUID workspace = this.workspaces.create();
		this.workspaces.settings(workspace, "{\"monthly_token_budget\": 50}");

		this.recorder.record(turn(workspace, 42));

		List<String> rows = this.jdbc.sql("""
				SELECT purpose || ':' || provider || ':' || model || ':' || prompt_tokens || ':' || completion_tokens
				       || ':' || total_tokens FROM api_usage WHERE workspace_id = :ws""")
			.param("ws", workspace)
			.query(String.class)
			.list();
		assertThat(rows).containsExactly("embedding:openai:text-embedding-3-small:42:0:42");
		assertThat(budget(workspace).monthTokens()).isEqualTo(42);
		assertThat(budget(workspace).reached()).isFalse();

		this.recorder.record(turn(workspace, 8));
		assertThat(budget(workspace).monthTokens()).isEqualTo(50);
		assertThat(budget(workspace).reached()).isTrue();
	}

	@Test
	void anInProcessEmbeddingRecordsNoUsage() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);

		assertThat(this.http.chat(workspace, ChatApiHttp.token(), "Can I get a refund?").status()).isEqualTo(200);

		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws", workspace)).isZero();
	}

	private dev.clara.chat.workspace.TokenBudget budget(UUID workspace) {
		return this.workspaceSettings.find(workspace, this.embeddings.modelId(), model -> true).orElseThrow().tokenBudget();
	}

	private static TurnRecorder.Turn turn(UUID workspace, long embeddingTokens) {
		ChatRequest request = new ChatRequest(workspace, ChatApiHttp.token(), UUID.randomUUID(), "Can I get a refund?",
				null, null);
		return new TurnRecorder.Turn(request, UUID.randomUUID(), "Refunds within 30 days.", "{}", false, null,
				embeddingTokens, dev.clara.chat.workspace.TokenBudget.NONE, new TurnRecorder.Judgement(null, 0.9, 0.6, false, "text-embedding-3-small", Instant.now(), null));
	}

}
