package dev.clara.chat.owner.live;

import java.util.UUID;

/**
 * One server-sent event for the owners of a workspace.
 *
 * @param name the SSE {@code event:} name ({@code pair}, {@code gap}, …)
 * @param data its {@code data:} line, one line of JSON that holds {@code workspace_id}
 */
record LiveEvent(UUID workspaceId, String name, String data) {
}
