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

	private final OwnerDb db;

	private final JsonMapper json;

	private final AccessTokens tokens;

	private final AccessTokenRepository repository;

	AccessTokenController(OwnerDb db, JsonMapper json, AccessTokens tokens, AccessTokenRepository repository) {
		this.db = db;
		this.json = json;
		this.tokens = tokens;
		this.repository = repository;
	}

	record Created(UUID id, String name, String prefix, String token, OffsetDateTime createdAt) {

		@Override
		public String toString() {
			return "Created[" + this.id + ", " + this.prefix + "…]";
		}

	}

	@GetMapping
	List<AccessTokens.TokenView> list(OwnerPrincipal owner) {
		return this.db.as(owner, this.repository::list);
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
		AccessTokenRepository.Inserted inserted = this.db.as(owner,
				sql -> this.repository.insert(sql, OwnerDb.workspaceId(sql), owner.userId(), name, token));
		Created created = new Created(inserted.id(), name, token.prefix(), token.secret(), inserted.createdAt());
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	/** Revokes the key: it stops working at once. Revoking twice is fine. */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(OwnerPrincipal owner, @PathVariable String id) {
		UUID token = Ids.parse(id, "API key");
		this.db.run(owner, sql -> {
			if (!this.repository.revoke(sql, token)) {
				throw OwnerProblems.notFound("API key");
			}
		});
		return ResponseEntity.noContent().build();
	}

}
