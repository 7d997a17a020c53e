package dev.clara.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CdcRelayApplication {

	public static void main(String[] args) {
		SpringApplication.run(CdcRelayApplication.class, args);
	}

}
