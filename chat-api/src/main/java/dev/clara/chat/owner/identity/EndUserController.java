package dev.clara.chat.owner.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.identity.OwnerEndUserRepository.EndUser;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workspace's verified end users (the chat API creates them), their conversations, and
 * erasure of one at a person's request: their conversations and messages go with them.
 */
@RestController
@RequestMapping("/api/owner/end-users")
class EndUserController {

	static final int MAX_QUERY_CHARS = 200;

	private static final String WHAT = "end user";

	private final OwnerDb db;

	private final OwnerEndUserRepository endUsers;

	EndUserController(OwnerDb db, OwnerEndUserRepository endUsers) {
		this.db = db;
		this.endUsers = endUsers;
	}

	@GetMapping
	Paging.Page<EndUser> list(OwnerPrincipal owner, @RequestParam(required = false) String q,
			@RequestParam(required = false) String page, @RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		if (q != null && q.length() > MAX_QUERY_CHARS) {
			throw OwnerProblems.invalid("q", "must be at most " + MAX_QUERY_CHARS + " characters");
		}
		return this.db.as(owner, sql -> paging.page(this.endUsers.page(sql, q, paging.perPage(), paging.offset()),
				this.endUsers.count(sql, q)));
	}

	@GetMapping("/{id}")
	Map<String, Object> one(OwnerPrincipal owner, @PathVariable String id) {
		UUID endUser = Ids.parse(id, WHAT);
		return this.db.as(owner, sql -> {
			EndUser found = this.endUsers.one(sql, endUser).orElseThrow(() -> OwnerProblems.notFound(WHAT));
			List<OwnerEndUserRepository.Conversation> conversations = this.endUsers.conversations(sql, endUser);
			return Map.of("end_user", found, "conversations", conversations);
		});
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> erase(OwnerPrincipal owner, @PathVariable String id) {
		UUID endUser = Ids.parse(id, WHAT);
		this.db.run(owner, sql -> {
			if (!this.endUsers.delete(sql, endUser)) {
				throw OwnerProblems.notFound(WHAT);
			}
		});
		return ResponseEntity.noContent().build();
	}

}
