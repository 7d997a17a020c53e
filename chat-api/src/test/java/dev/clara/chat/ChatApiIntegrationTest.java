package dev.clara.chat;

import java.io.IOException;
import java.util.UUID;

import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running chat-api on a random port, against the test database and a fake OpenAI server. Test
 * classes extending it share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ChatApiTestConfiguration.class)
public abstract class ChatApiIntegrationTest {

	protected static final FakeOpenAiServer llm = startLlm();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ChatApiTestConfiguration.register(registry, llm);
	}

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected EmbeddingProvider embeddings;

	@Autowired
	protected LlmKeyCipher cipher;

	@Value("${local.server.port}")
	protected int port;

	protected ChatApiHttp http;

	protected Workspaces workspaces;

	@BeforeEach
	void connect() {
		this.http = new ChatApiHttp(this.port);
		this.workspaces = new Workspaces(this.jdbc, this.embeddings);
		embeddingCalls().reset();
		llm.reset();
	}

	protected CountingEmbeddingProvider embeddingCalls() {
		return (CountingEmbeddingProvider) this.embeddings;
	}

	/** Stores {@code rawKey} as the workspace's default OpenAI key, encrypted as the owner API does. */
	protected void addWorkspaceKey(UUID workspace, String rawKey) {
		UUID id = UUID.randomUUID();
		EncryptedSecret secret = this.cipher.encrypt(rawKey, LlmKeyCipher.aad(workspace, id));
		this.jdbc.sql("""
				INSERT INTO api_keys (id, workspace_id, provider, model, key_id, encrypted_key, key_last4, is_default)
				VALUES (:id, :ws, 'openai', 'gpt-4o-mini', :keyId, :value, :last4, true)
				""")
			.param("id", id)
			.param("ws", workspace)
			.param("keyId", secret.keyId())
			.param("value", secret.value())
			.param("last4", rawKey.substring(rawKey.length() - 4))
			.update();
	}

	protected long count(String sql, UUID workspace) {
		return this.jdbc.sql(sql).param("ws", workspace).query(Long.class).single();
	}

	private static FakeOpenAiServer startLlm() {
		try {
			return new FakeOpenAiServer();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
