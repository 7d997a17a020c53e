package dev.clara.chat.owner.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The owner's live updates ({@code GET /api/owner/events}).
 *
 * @param enabled whether this replica reads the topics; off, streams still open (hello and
 * heartbeats) but carry no events
 * @param maxStreamsPerWorkspace open streams one workspace (its owner's tabs, scripts) may hold on
 * one replica; one more is refused with 429
 * @param maxStreams open streams one replica holds at most (each is an open connection and a small queue)
 * @param heartbeat how often a comment line goes to every stream, so proxies keep it open and a
 * closed connection is noticed
 * @param streamTimeout how long one stream lives; then it ends and the browser reconnects (a bound
 * on anything a stream could hold on to)
 * @param reconnect the {@code retry} the stream tells the browser to wait before reconnecting
 * @param queueCapacity events waiting for one slow stream; a stream that falls further behind is
 * closed (the browser reconnects and refetches)
 * @param senders threads writing events to the streams of this replica (never one per stream)
 */
@ConfigurationProperties("clara.live")
public record LiveProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10") int maxStreamsPerWorkspace,
		@DefaultValue("2000") int maxStreams, @DefaultValue("20s") Duration heartbeat,
		@DefaultValue("30m") Duration streamTimeout, @DefaultValue("3s") Duration reconnect,
		@DefaultValue("100") int queueCapacity, @DefaultValue("2") int senders) {
}
