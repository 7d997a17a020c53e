package dev.clara.chat.owner.tokens;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Product API keys for scripts ({@code Authorization: Bearer clara_…}): create (the secret is in
 * that one response only), list, revoke. A request made with an API key cannot create more keys.
 */
@RestController
@RequestMapping("/api/owner/access-tokens")
class AccessTokenController {

	private static final String COLUMNS = "id, name, prefix, created_at, last_used_at, revoked_at";

	private final OwnerDb db;

	private final JsonMapper json;

	private final AccessTokens tokens;

	AccessTokenController(OwnerDb db, JsonMapper json, AccessTokens tokens) {
		this.db = db;
		this.json = json;
		this.tokens = tokens;
	}

	record Created(UUID id, String name, String prefix, String token, OffsetDateTime createdAt) {

		@Override
		public String toString() {
			return "Created[" + this.id + ", " + this.prefix + "…]";
		}

	}

	static final RowMapper<AccessTokens.TokenView> ROW = (row, i) -> new AccessTokens.TokenView(
			row.getObject("id", UUID.class), row.getString("name"), row.getString("prefix"),
			row.getObject("created_at", OffsetDateTime.class), row.getObject("last_used_at", OffsetDateTime.class),
			row.getObject("revoked_at", OffsetDateTime.class));

	@GetMapping
	List<AccessTokens.TokenView> list(OwnerPrincipal owner) {
		return this.db.as(owner, sql -> sql.sql("SELECT " + COLUMNS + " FROM access_tokens ORDER BY created_at, id")
			.query(ROW)
			.list());
	}

	@PostMapping
	ResponseEntity<Created> create(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		if (owner.viaAccessToken()) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Forbidden",
					"API keys cannot create API keys; sign in to create one");
		}
		JsonBody request = JsonBody.parse(this.json, body, Set.of("name"));
		String name = request.text("name", true, 100);
		request.validate();
		AccessTokens.NewToken token = this.tokens.generate();
		Created created = this.db.as(owner, sql -> sql.sql("""
				INSERT INTO access_tokens (workspace_id, created_by, name, prefix, key_hash)
				VALUES (:workspaceId, :createdBy, :name, :prefix, :hash)
				RETURNING id, created_at
				""")
			.param("workspaceId", OwnerDb.workspaceId(sql))
			.param("createdBy", owner.userId())
			.param("name", name)
			.param("prefix", token.prefix())
			.param("hash", token.hash())
			.query((row, i) -> new Created(row.getObject("id", UUID.class), name, token.prefix(), token.secret(),
					row.getObject("created_at", OffsetDateTime.class)))
			.single());
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	/** Revokes the key: it stops working at once. Revoking twice is fine. */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(OwnerPrincipal owner, @PathVariable String id) {
		UUID token = Ids.parse(id, "API key");
		this.db.run(owner, sql -> {
			int updated = sql.sql("UPDATE access_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = :id")
				.param("id", token)
				.update();
			if (updated == 0) {
				throw OwnerProblems.notFound("API key");
			}
		});
		return ResponseEntity.noContent().build();
	}

}
