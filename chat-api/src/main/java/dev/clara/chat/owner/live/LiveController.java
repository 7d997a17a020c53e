package dev.clara.chat.owner.live;

import java.util.Map;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/owner/events}: the signed-in owner's live updates as server-sent events. Opening
 * one asks the database once (which workspace is the owner's, under row-level security); after
 * that the stream only waits for events of that workspace.
 */
@RestController
class LiveController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final OwnerDb db;

	private final LiveStreams streams;

	private final LiveProperties properties;

	LiveController(OwnerDb db, LiveStreams streams, LiveProperties properties) {
		this.db = db;
		this.streams = streams;
		this.properties = properties;
	}

	@GetMapping("/api/owner/events")
	ResponseEntity<SseEmitter> events(OwnerPrincipal owner) {
		UUID workspace = this.db.as(owner, OwnerDb::workspaceId);
		SseEmitter.SseEventBuilder hello = SseEmitter.event()
			.reconnectTime(this.properties.reconnect().toMillis())
			.name("hello")
			.data(JSON.writeValueAsString(Map.of("workspace_id", workspace.toString())));
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			// a buffering reverse proxy (nginx) would hold the events back
			.header("X-Accel-Buffering", "no")
			.body(this.streams.open(workspace, hello).emitter());
	}

}
