package dev.clara.chat.owner;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.owner.db.OwnerDb;

import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Owner API tests over HTTP against the running chat-api (the shared context of
 * {@link ChatApiIntegrationTest}): owners are made as Supabase Auth would make them (an
 * {@code auth.users} row; the database adds profile and workspace) and call with JWTs signed
 * with the test secret.
 */
public abstract class OwnerIntegrationTest extends ChatApiIntegrationTest {

	/** The secret ChatApiTestConfiguration gives the service. */
	public static final String JWT_SECRET = "owner-api-test-jwt-secret-0123456789abcdef";

	protected static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	protected OwnerDb ownerDb;

	/** A signed-in owner and their workspace. */
	public record Owner(UUID userId, UUID workspaceId, String email, String token) {

		public OwnerPrincipal principal() {
			Map<String, Object> claims = new LinkedHashMap<>();
			claims.put("sub", this.userId.toString());
			claims.put("role", "authenticated");
			claims.put("aud", "authenticated");
			return new OwnerPrincipal(this.userId, this.email, claims, null);
		}

	}

	protected Owner owner() {
		UUID user = UUID.randomUUID();
		String email = "owner-" + user + "@example.test";
		this.jdbc.sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)")
			.param("id", user)
			.param("email", email)
			.update();
		UUID workspace = this.jdbc.sql("SELECT id FROM workspaces WHERE owner_id = :owner")
			.param("owner", user)
			.query(UUID.class)
			.single();
		return new Owner(user, workspace, email, jwt(claims(user, email)));
	}

	protected static Map<String, Object> claims(UUID user, String email) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", user.toString());
		claims.put("role", "authenticated");
		claims.put("aud", "authenticated");
		claims.put("email", email);
		claims.put("exp", Instant.now().plus(Duration.ofHours(1)).getEpochSecond());
		claims.put("iat", Instant.now().getEpochSecond());
		return claims;
	}

	/** An HS256 JWT with these claims ({@code exp}/{@code iat} in epoch seconds). */
	protected static String jwt(Map<String, Object> claims) {
		return jwt(claims, JWT_SECRET);
	}

	protected static String jwt(Map<String, Object> claims, String secret) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
		claims.forEach((name, value) -> {
			if (("exp".equals(name) || "iat".equals(name) || "nbf".equals(name)) && value instanceof Long seconds) {
				builder.claim(name, Date.from(Instant.ofEpochSecond(seconds)));
			}
			else {
				builder.claim(name, value);
			}
		});
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
		try {
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	// ───────────────────────────── HTTP ─────────────────────────────

	protected Reply get(String token, String path) {
		return send(token, "GET", path, null);
	}

	protected Reply post(String token, String path, String json) {
		return send(token, "POST", path, json);
	}

	protected Reply patch(String token, String path, String json) {
		return send(token, "PATCH", path, json);
	}

	protected Reply put(String token, String path, String json) {
		return send(token, "PUT", path, json);
	}

	protected Reply delete(String token, String path) {
		return send(token, "DELETE", path, null);
	}

	protected Reply send(String token, String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build());
	}

	/** A multipart/form-data upload of one file in the field {@code file}. */
	protected Reply upload(String token, String path, String fileName, String contentType, byte[] content) {
		return upload(token, path, fileName, contentType, content, false);
	}

	/** With {@code expectContinue}, the server may refuse the body before it is sent. */
	protected Reply upload(String token, String path, String fileName, String contentType, byte[] content,
			boolean expectContinue) {
		String boundary = "----clara-test-" + UUID.randomUUID();
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[head.length + content.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(content, 0, body, head.length, content.length);
		System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.expectContinue(expectContinue)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build());
	}

	protected static String json(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return JSON.writeValueAsString(map);
	}

	/** A Q&A pair straight into the database (as the embedding worker leaves it: not embedded). */
	protected UUID pair(Owner owner, String question, String answer) {
		return this.jdbc.sql("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, :q, :a) RETURNING id")
			.param("ws", owner.workspaceId())
			.param("q", question)
			.param("a", answer)
			.query(UUID.class)
			.single();
	}

	protected UUID gap(Owner owner, String question) {
		return this.jdbc.sql("INSERT INTO qa_gaps (workspace_id, question) VALUES (:ws, :q) RETURNING id")
			.param("ws", owner.workspaceId())
			.param("q", question)
			.query(UUID.class)
			.single();
	}

	/** A test question straight into the database ({@code expected} null: should not be answered). */
	protected UUID testQuestion(Owner owner, String question, UUID expected) {
		return this.jdbc
			.sql("INSERT INTO answer_test_questions (workspace_id, question, expected_qa_id) VALUES (:ws, :q, :e) RETURNING id")
			.param("ws", owner.workspaceId())
			.param("q", question)
			.param("e", expected)
			.query(UUID.class)
			.single();
	}

	/**
	 * A stored answer model as the trainer leaves it (the weights are a placeholder: the owner API
	 * never reads them).
	 *
	 * @param groups {@code answer_models.groups} JSON
	 * @param health {@code answer_models.health} JSON, or null
	 */
	protected void answerModel(Owner owner, int version, int pairs, int groups, String groupsJson, String health) {
		this.jdbc.sql("""
				INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count,
				                           out_of_scope_count, fingerprint, iterations, converged, loss, training_ms, health)
				VALUES (:ws, :version, :embeddingModel, '\\x00', CAST(:groups AS jsonb), :pairs, :groupCount, 1,
				        :fingerprint, 42, true, 0.5, 1234, CAST(:health AS jsonb))
				""")
			.param("ws", owner.workspaceId())
			.param("version", version)
			.param("embeddingModel", this.embeddings.modelId())
			.param("groups", groupsJson)
			.param("pairs", pairs)
			.param("groupCount", groups)
			.param("fingerprint", "test-" + version)
			.param("health", health)
			.update();
	}

	/** The workspace's row in the trainer's queue, as the service sees it: whether training was asked for. */
	protected boolean trainingRequested(Owner owner) {
		return count("SELECT count(*) FROM answer_model_requests WHERE workspace_id = :ws", owner.workspaceId()) > 0;
	}

	protected void forgetTrainingRequest(Owner owner) {
		this.jdbc.sql("DELETE FROM answer_model_requests WHERE workspace_id = :ws").param("ws", owner.workspaceId()).update();
	}

	protected UUID conversation(Owner owner, String... messages) {
		UUID conversation = this.jdbc
			.sql("INSERT INTO conversations (workspace_id, session_token, visitor_name) VALUES (:ws, :token, 'Ann') RETURNING id")
			.param("ws", owner.workspaceId())
			.param("token", "token-" + UUID.randomUUID())
			.query(UUID.class)
			.single();
		for (int i = 0; i < messages.length; i++) {
			this.jdbc.sql("""
					INSERT INTO messages (conversation_id, workspace_id, role, content)
					VALUES (:conversation, :ws, :role, :content)
					""")
				.param("conversation", conversation)
				.param("ws", owner.workspaceId())
				.param("role", i % 2 == 0 ? "user" : "assistant")
				.param("content", messages[i])
				.update();
		}
		return conversation;
	}

}
