package dev.clara.service.health;

import java.util.Arrays;

import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /actuator/health} (and its groups, {@code /liveness}, {@code /readiness}) on the
 * API port as well, while the actuator itself lives on the management port: probes, {@code ./clara up}
 * and the end-to-end tests find health where it always was. The answer is the actuator's own (same
 * status code, same details setting); nothing else of the actuator is reachable on this port.
 */
@RestController
class ServerPortHealth {

	private final HealthEndpointWebExtension health;

	ServerPortHealth(HealthEndpointWebExtension health) {
		this.health = health;
	}

	@GetMapping(path = "/actuator/health/{*path}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<HealthDescriptor> health(@PathVariable String path) {
		String[] segments = Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toArray(String[]::new);
		WebEndpointResponse<HealthDescriptor> response = this.health.health(ApiVersion.V3, WebServerNamespace.SERVER,
				SecurityContext.NONE, segments);
		return ResponseEntity.status(response.getStatus()).body(response.getBody());
	}

}
