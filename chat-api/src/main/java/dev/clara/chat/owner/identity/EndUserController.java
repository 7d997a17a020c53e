package dev.clara.chat.owner.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.identity.EndUserRepository;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.identity.OwnerEndUserRepository.EndUser;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
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

	private final EndUserRepository erasure;

	private final TransactionTemplate transactions;

	EndUserController(OwnerDb db, OwnerEndUserRepository endUsers, EndUserRepository erasure,
			TransactionTemplate transactions) {
		this.db = db;
		this.endUsers = endUsers;
		this.erasure = erasure;
		this.transactions = transactions;
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

	/**
	 * Found under the owner's row-level security (another workspace's id is a 404), then erased by
	 * the one erasure rule the visitor's own request uses too.
	 */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> erase(OwnerPrincipal owner, @PathVariable String id) {
		UUID endUser = Ids.parse(id, WHAT);
		EndUser found = this.db.as(owner, sql -> this.endUsers.one(sql, endUser))
			.orElseThrow(() -> OwnerProblems.notFound(WHAT));
		UUID workspace = this.db.as(owner, OwnerDb::workspaceId);
		this.transactions.executeWithoutResult(status -> this.erasure.erase(workspace, found.externalId(), null));
		return ResponseEntity.noContent().build();
	}

}
