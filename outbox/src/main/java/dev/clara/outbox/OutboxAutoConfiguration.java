package dev.clara.outbox;

import dev.clara.shared.events.EventCodec;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The writer and the gap events as beans of every service that has this module, over the
 * service's {@link JdbcClient} (so in its transactions) and its {@link EventCodec}.
 */
@AutoConfiguration
public class OutboxAutoConfiguration {

	@Bean
	OutboxWriter outboxWriter(JdbcClient jdbc, EventCodec codec) {
		return new OutboxWriter(jdbc, codec);
	}

	@Bean
	GapEvents gapEvents(JdbcClient jdbc, OutboxWriter outbox) {
		return new GapEvents(jdbc, outbox);
	}

}
