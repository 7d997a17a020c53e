package dev.clara.chat.owner.keys;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The operator's re-encrypt command after a master key rotation:
 * {@code java -jar chat-api.jar reencrypt-llm-keys --spring.main.web-application-type=none}
 * (with {@code CLARA_MASTER_KEYS} listing the old and the new key and {@code CLARA_MASTER_KEY_ID}
 * naming the new one). Prints the result (row ids only) and exits: 0 when every row moved, 1
 * otherwise. Without the argument it does nothing.
 */
@Component
class ReencryptCommand implements ApplicationRunner {

	static final String COMMAND = "reencrypt-llm-keys";

	private final LlmKeyRotation rotation;

	private final ConfigurableApplicationContext context;

	ReencryptCommand(LlmKeyRotation rotation, ConfigurableApplicationContext context) {
		this.rotation = rotation;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!args.getNonOptionArgs().contains(COMMAND)) {
			return;
		}
		LlmKeyRotation.Result result = this.rotation.reencryptAll();
		System.out.println("Re-encrypted " + result.reencrypted() + " of " + result.examined()
				+ " LLM keys under master key '" + result.currentKeyId() + "'");
		result.failed().forEach(failure -> System.out.println("  not re-encrypted: row " + failure.id() + " (" + failure.reason() + ")"));
		LlmKeyRotation.Part identity = result.identitySecrets();
		System.out.println("Re-encrypted " + identity.reencrypted() + " of " + identity.examined() + " identity secrets");
		identity.failed().forEach(failure -> System.out.println("  not re-encrypted: identity secret " + failure.id() + " (" + failure.reason() + ")"));
		int status = SpringApplication.exit(this.context, () -> result.complete() ? 0 : 1);
		System.exit(status);
	}

}
