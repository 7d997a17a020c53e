package dev.clara.gaps;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GapDetectorApplication {

	public static void main(String[] args) {
		SpringApplication.run(GapDetectorApplication.class, args);
	}

}
