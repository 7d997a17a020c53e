package dev.clara.chat.owner.conversations;

import java.util.List;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.conversations.ConversationRepository.Conversation;
import dev.clara.chat.owner.conversations.ConversationRepository.Message;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workspace's conversations, newest first, and one conversation with its messages. The
 * visitor's session token is not shown: it is the visitor's key to the conversation.
 */
@RestController
@RequestMapping("/api/owner/conversations")
class ConversationController {

	private final OwnerDb db;

	private final ConversationRepository conversations;

	ConversationController(OwnerDb db, ConversationRepository conversations) {
		this.db = db;
		this.conversations = conversations;
	}

	record WithMessages(Conversation conversation, List<Message> messages) {
	}

	@GetMapping
	Paging.Page<Conversation> list(OwnerPrincipal owner, @RequestParam(required = false) String escalated,
			@RequestParam(required = false) String page, @RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		Boolean escalatedFilter = switch (escalated == null ? "" : escalated) {
			case "" -> null;
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw OwnerProblems.invalid("escalated", "must be true or false");
		};
		return this.db.as(owner,
				sql -> paging.page(this.conversations.list(sql, escalatedFilter, paging.perPage(), paging.offset()),
						this.conversations.count(sql, escalatedFilter)));
	}

	@GetMapping("/{id}")
	WithMessages read(OwnerPrincipal owner, @PathVariable String id) {
		UUID conversation = Ids.parse(id, "conversation");
		return this.db.as(owner, sql -> {
			Conversation found = this.conversations.find(sql, conversation)
				.orElseThrow(() -> OwnerProblems.notFound("conversation"));
			return new WithMessages(found, this.conversations.messages(sql, conversation));
		});
	}

}
