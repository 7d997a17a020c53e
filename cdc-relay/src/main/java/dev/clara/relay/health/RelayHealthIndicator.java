package dev.clara.relay.health;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.RelayMonitor;

/**
 * {@code /actuator/health} component {@code cdcRelay}: the instance's role (active or standby),
 * the replication slot's lag in bytes, the commit time of the last change relayed, and whether
 * the engine runs. Down only when the instance refused to start (offsets and slot disagree); a
 * standby is healthy.
 */
@Component("cdcRelayHealthIndicator")
class RelayHealthIndicator implements HealthIndicator {

	private final CdcRelay relay;

	RelayHealthIndicator(CdcRelay relay) {
		this.relay = relay;
	}

	@Override
	public Health health() {
		RelayMonitor monitor = this.relay.monitor();
		RelayMonitor.Role role = monitor.role();
		Health.Builder builder = (role == RelayMonitor.Role.FAILED) ? Health.down() : Health.up();
		builder.withDetail("role", role.name().toLowerCase())
			.withDetail("slot", this.relay.settings().slotName())
			.withDetail("engineRunning", monitor.engineRunning());
		Long lag = this.relay.slotLagBytes();
		if (lag != null) {
			builder.withDetail("slotLagBytes", lag);
		}
		Instant last = this.relay.lastEventAt();
		if (last != null) {
			builder.withDetail("lastEventAt", last.toString())
				.withDetail("lastEventAgeSeconds", Duration.between(last, Instant.now()).toSeconds());
		}
		builder.withDetail("changesProcessed", monitor.changes()).withDetail("recordsPublished", monitor.published());
		if (monitor.lastError() != null) {
			builder.withDetail("lastError", monitor.lastError());
		}
		return builder.build();
	}

}
