package dev.clara.relay;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The CDC relay service. {@code java -jar cdc-relay.jar} runs the relay (health on :8083);
 * {@code java -jar cdc-relay.jar --replay-outbox-since=2025-01-31T12:00:00Z} is the recovery
 * command the relay prints when offsets and replication slot disagree: it runs once and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CdcRelayApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(CdcRelayApplication.class);
		if (Arrays.stream(args).anyMatch((arg) -> arg.startsWith("--replay-outbox-since"))) {
			application.setWebApplicationType(WebApplicationType.NONE);
			application.setDefaultProperties(java.util.Map.of("clara.relay.mode", "recover"));
			System.exit(SpringApplication.exit(application.run(args)));
		}
		application.run(args);
	}

}
