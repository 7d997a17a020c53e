package dev.clara.relay.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The relay's metrics ({@code clara.relay.metrics.*}).
 *
 * @param slotLagInterval how often the replication slot's lag is read for the gauge (one query on
 * the database each time, never per record)
 */
@ConfigurationProperties("clara.relay.metrics")
public record RelayMetricsProperties(Duration slotLagInterval) {

	public RelayMetricsProperties {
		slotLagInterval = (slotLagInterval != null) ? slotLagInterval : Duration.ofSeconds(15);
	}

}
